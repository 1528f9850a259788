"""Take the dossier steps recorded ahead whose day has come (cron, daily shortly after midnight)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from appointments.services.planned import steps_apply_due


class Command(BaseCommand):
    help = "Take the planned dossier steps whose day has come; report those that could not be taken."

    def handle(self, *args, **options):
        steps = steps_apply_due(today=timezone.localdate())
        taken = [step for step in steps if step.state == step.State.APPLIED]
        self.stdout.write(f"{len(taken)} planned step(s) taken, {len(steps) - len(taken)} not taken.")
        for step in steps:
            if step.state != step.State.APPLIED:
                self.stderr.write(f"Dossier {step.appointment_id}: {step.action}: {step.outcome}")
