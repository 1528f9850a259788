"""Daily (cron): the digest of notifications for those who chose it, and a retry of any immediate
notification whose e-mail failed. Each notification is sent once (services.notifications)."""

from django.core.management.base import BaseCommand

from appointments import services


class Command(BaseCommand):
    help = "E-mail the daily notification digest and retry notifications whose e-mail failed."

    def handle(self, *args, **options):
        sent = services.notifications_send(digest=True)
        self.stdout.write(f"Notification e-mails sent: {sent}.")
