"""Replaces django-simple-history's `clean_old_history`: history in tmgportal is append-only."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Refused: tmgportal's history is append-only (see tmgportal.history)."

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="*")
        parser.add_argument("--days", type=int)
        parser.add_argument("--auto", action="store_true")
        parser.add_argument("--excluded_fields", nargs="+")
        parser.add_argument("--base-manager", action="store_true")

    def handle(self, *args, **options):
        raise CommandError(
            "History is append-only in tmgportal: no history row may be deleted. Personal data is "
            "removed only by the retention pass (manage.py anonymise_expired)."
        )
