"""Shared factories. People are fictitious; names come from a fixed list, never a real person."""

from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from appointments import rules
from appointments.models import Appointment, Function, Member, Ministry
from tmgportal import roles
from tmgportal.models import OfficeProfile


class MinistryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ministry
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Ministerie van Proefzaken {n}")
    abbreviation = factory.Sequence(lambda n: f"PZ{n}")


class FunctionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Function

    title = "directeur-generaal"
    organisation = factory.Sequence(lambda n: f"Directoraat-generaal Proef {n}")
    ministry = factory.SubFactory(MinistryFactory)
    group = "A"
    is_sg = False
    source = "test"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    surname = factory.Sequence(lambda n: f"Testpersoon{n}")
    prefix = ""
    initials = "T."
    first_name = "Toos"
    date_of_birth = date(1968, 5, 17)
    abd_member_since = date(2005, 1, 1)


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    member = factory.SubFactory(MemberFactory)
    function = factory.SubFactory(FunctionFactory)
    status = Appointment.Status.CONCEPT
    start_date = date(2022, 1, 1)
    start_in_function = factory.SelfAttribute("start_date")
    term_end = factory.LazyAttribute(lambda o: rules.add_years(o.start_date, 7))

    class Params:
        in_function = factory.Trait(
            status=Appointment.Status.IN_FUNCTION,
            council_date=factory.LazyAttribute(lambda o: rules.add_months(o.start_date, -2)),
            kb_date=factory.LazyAttribute(lambda o: rules.add_months(o.start_date, -1)),
            kb_number=factory.Sequence(lambda n: f"KB-{n:05d}"),
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Gebruiker"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "correct-horse-battery-staple")
        if create:
            self.save(update_fields=["password"])


def abd_staff_user(username="abd"):
    user = UserFactory(username=username)
    group, _ = Group.objects.get_or_create(name=roles.ABD_STAFF_GROUP)
    user.groups.add(group)
    return user


def office_user(ministry, username=None):
    user = UserFactory(username=username or f"bureau-{ministry.abbreviation.lower()}")
    group, _ = Group.objects.get_or_create(name=roles.MINISTER_OFFICE_GROUP)
    user.groups.add(group)
    OfficeProfile.objects.create(user=user, ministry=ministry)
    return user


def arrange(instance, **fields):
    """Put a record in a state for a test without its service (saved one by one, so with history)."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()
    return instance


def approved_extension(appointment, *, proposer, office, proposed_end, reason_code="continuity"):
    """An extension proposed by ABD and approved by the office, through the services."""
    from appointments import services

    extension = services.extension_propose(
        user=proposer,
        appointment=appointment,
        reason_code=reason_code,
        motivation="Continuïteit",
        proposed_end=proposed_end,
    )
    return services.extension_decide(user=office, extension=extension, approve=True, remarks="")
