"""`manage.py restore FILE`: into the configured, empty database; checked against the manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tmgportal import backup, versions


class Command(BaseCommand):
    help = "Restore a backup into the configured empty database and compare it with its manifest."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file (.dump or .sqlite3) made by manage.py backup.")

    def handle(self, *args, file, **options):
        try:
            found = backup.restore_here(Path(file))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            # The shared cache holds parts of pages built from the data before: none may be served.
            versions.renew_all()
        if found:
            raise CommandError("Restored with differences:\n" + "\n".join(found))
        self.stdout.write("Restored: every table and every KB PDF equal to the backup (0 differences).")
