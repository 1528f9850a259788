from django.core.management.base import BaseCommand
from django.db import transaction

from appointments import loaders as appointment_loaders
from salaries import loaders as salary_loaders
from tmgportal import roles, services
from tmgportal.system import system_user


class Command(BaseCommand):
    help = "Load the role groups and the reference data of fixtures/ (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        user = system_user()
        for name in (roles.ABD_STAFF_GROUP, roles.MINISTER_OFFICE_GROUP):
            services.group_ensure(user=user, name=name, reason="Rolgroep van tmgportal [domein §9]")
        ministries = appointment_loaders.load_ministries(user=user)
        functions = appointment_loaders.load_functions(user=user)
        tables = salary_loaders.load_pay_tables(user=user, report=lambda line: self.stderr.write(line))
        self.stdout.write(
            f"Reference data loaded: {ministries} ministries, {functions} functions, {tables} pay table rows added."
        )
