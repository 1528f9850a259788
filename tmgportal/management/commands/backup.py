"""`manage.py backup`: the whole database (KB PDFs included) with a manifest to check a restore by."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from tmgportal import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite's online backup) with a manifest of every table."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=settings.TMG_BACKUP_DIR,
            help="Folder for the backup and its manifest (default TMG_BACKUP_DIR).",
        )

    def handle(self, *args, output, **options):
        made = backup.backup_now(Path(output))
        rows = sum(table["rows"] for table in made.manifest["tables"].values())
        self.stdout.write(f"Backup: {made.path} ({made.path.stat().st_size} bytes, {rows} rows)")
        self.stdout.write(f"Manifest: {made.manifest_path}")
