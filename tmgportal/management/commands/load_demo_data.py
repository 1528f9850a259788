"""Fictitious demo data and one demo account per role. Only in demo mode (TMG_DEMO=1)."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from appointments.demo import load_demo_documents, load_demo_members, load_demo_side_activities
from appointments.models import Member, Ministry
from salaries import figures
from salaries.demo import load_demo_placements
from tmgportal import roles, services, volume
from tmgportal.system import system_user

# Demo passwords are printed on purpose: they exist only in demo mode, on a developer's machine.
DEMO_ACCOUNTS = [
    # username, password, role, ministry abbreviation, name shown, what the role can do
    (
        "beheerder",
        "demo-beheerder-2026",
        "admin",
        None,
        "Beheerder",
        "beheer: accounts, rollen en toegangshistorie",
    ),
    (
        "abd",
        "demo-abd-2026",
        roles.ABD_STAFF_GROUP,
        None,
        "ABD-medewerker",
        "ABD: alle dossiers beheren, KB's maken, nevenwerkzaamheden beoordelen",
    ),
    (
        "bureau-fin",
        "demo-bureau-fin-2026",
        roles.MINISTER_OFFICE_GROUP,
        "FIN",
        "Bureau FIN",
        "ministersbureau Financiën: eigen dossiers lezen, over verlengingen besluiten",
    ),
    (
        "bureau-jenv",
        "demo-bureau-jenv-2026",
        roles.MINISTER_OFFICE_GROUP,
        "JenV",
        "Bureau JenV",
        "ministersbureau JenV: eigen dossiers lezen, over verlengingen besluiten",
    ),
]


class Command(BaseCommand):
    help = (
        "Load fictitious demo members and demo accounts (demo mode only; idempotent). With --members, "
        "adds generated members with careers over --years until there are that many (the benchmark's volume)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--members", type=int, help="Total number of members wanted (at least the 80 of the demo)."
        )
        parser.add_argument(
            "--years", type=int, default=10, help="Span of the generated careers in years (default 10)."
        )

    def handle(self, *args, members=None, years=10, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is only loaded with TMG_DEMO=1.")
        if years < 1:
            raise CommandError("--years must be at least 1.")
        self._demo()
        if members:
            started = time.monotonic()
            made = volume.load_volume(members=members, years=years, user=system_user())
            self.stdout.write(
                f"Volume data: {made['members']} members added ({made['prototypes']} careers through the "
                f"services, {made['copies']} copies of them) in {time.monotonic() - started:.0f} s; "
                f"{Member.objects.count()} members, {volume.history_rows()} history rows in all."
            )

    @transaction.atomic
    def _demo(self):
        for username, password, role, ministry, name, _can in DEMO_ACCOUNTS:
            self._account(username, password, role, ministry, name)
        with figures.batch():  # each member's pay is computed once, after all its facts are in
            created = load_demo_members(user=system_user())
            placements = load_demo_placements(user=system_user(), members=created)
            activities = load_demo_side_activities(user=system_user(), members=created)
        documents = load_demo_documents(user=system_user(), members=created)
        self.stdout.write(
            f"Demo data: {len(created)} fictitious members, {placements} placements, {activities} side activities, "
            f"{documents} KBs and documents added."
        )
        self.stdout.write("Demo accounts (demo mode only):")
        for username, password, _role, _ministry, _name, can in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} {password:<24} {can}")
        if settings.TMG_REQUIRE_SECOND_FACTOR:
            self.stdout.write(
                "Second factor: required; each account sets up its authenticator app at first login."
            )
        else:
            self.stdout.write(
                "Second factor: not required in demo mode (production requires it for every login); "
                "set TMG_REQUIRE_SECOND_FACTOR=1 in .env to try it."
            )

    def _account(self, username, password, role, ministry, name):
        if get_user_model().objects.filter(username=username).exists():
            return
        services.account_create(
            user=system_user(),
            username=username,
            password=password,
            first_name=name,
            # Fictitious addresses (RFC 2606 .invalid): notifications are recorded and can be read on
            # the profile page; in demo mode the mail itself goes to files in var/mail.
            email=f"{username}@voorbeeld.invalid",
            is_superuser=role == "admin",
            group=None if role == "admin" else Group.objects.get(name=role),
            ministry=Ministry.objects.get(abbreviation=ministry) if ministry else None,
            reason="Demo-account (alleen in demomodus)",
        )
