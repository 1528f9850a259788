"""`manage.py rebuild_pay_figures`: recompute every stored month of pay and compare it with the store.
Daily from cron (it also moves the stored horizon on at the turn of the year): any difference means a
change of a pay fact that bypassed the services, and is reported. `--check` compares only."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from salaries import figures


class Command(BaseCommand):
    help = "Recompute the stored monthly pay of every member; report and repair any difference."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare only; exit 1 on a difference.")

    def handle(self, *args, check, **options):
        with transaction.atomic():
            found = figures.rebuild(write=not check)
        for line in found[:50]:
            self.stdout.write(line)
        if len(found) > 50:
            self.stdout.write(f"... en nog {len(found) - 50}")
        if found and check:
            raise CommandError(f"{len(found)} stored months differ from a fresh computation.")
        self.stdout.write(
            f"{len(found)} verschillen{' hersteld' if found else ''}; opgeslagen maanden gelijk aan een nieuwe berekening."
        )
