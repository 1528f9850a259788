"""Anonymise the files of members who left longer ago than TMG_RETENTION_YEARS (cron, e.g. monthly).

There is no default retention period on purpose: how long the files are kept is ABD's decision
under the AVG and the Archiefwet, not the software's. Without the setting the command refuses."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from appointments import services
from appointments.models import Member
from tmgportal.dbroles import may_rewrite_history
from tmgportal.system import system_user


class Command(BaseCommand):
    help = "Anonymise members who left more than TMG_RETENTION_YEARS ago, in their files and history."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the members, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        years = settings.TMG_RETENTION_YEARS
        if years is None:
            raise CommandError("TMG_RETENTION_YEARS is not set: no retention period has been decided.")
        if not dry_run and not may_rewrite_history():
            raise CommandError(
                "This database role may not change history rows: run anonymise_expired with the "
                "retention role's DATABASE_URL (docs/database-roles.md)."
            )
        cutoff = timezone.localdate() - relativedelta(years=years)
        done = 0
        for member in Member.objects.filter(anonymised_at__isnull=True).order_by("pk"):
            left = services.member_left_on(member)
            if left is None or left >= cutoff:
                continue
            self.stdout.write(f"Member {member.pk}: left on {left.isoformat()}")
            if not dry_run:
                services.member_anonymise(
                    user=system_user(),
                    member=member,
                    reason=f"Geanonimiseerd: vertrokken op {left.isoformat()}, bewaartermijn {years} jaar verstreken",
                )
            done += 1
        self.stdout.write(f"{done} member(s) {'would be' if dry_run else ''} anonymised.".replace("  ", " "))
