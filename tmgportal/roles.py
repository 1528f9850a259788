"""Roles and the one rule that decides which records a user may see [domain §9].

- ABD staff (group "ABD-medewerkers") see and change every member file.
- An administrator (superuser) manages accounts, groups and office profiles in /beheer/; being one
  gives no access to member files. An administrator who is also ABD staff is put in the ABD group
  as well: a separate, recorded choice in the access history.
- A minister's office (group "Ministersbureau", linked to one ministry by an OfficeProfile) reads
  the files of its own ministry and decides on extension proposals for them.
- Anyone else, logged in or not, sees no member file.

Which ministry a file belongs to: the ministry of the member's current appointment
(appointments.rules.current_appointment) when it is *held* — KB signed or later [ARAR 7.4], so also
the last held one while the member is in the search period. Of several, the latest that has started
by today; only when none has started yet, the first to come. A concept or proposal (voordracht) never
moves the file: it gives the office of the proposed ministry that proposal's own dossier and nothing
else of the file.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery

from appointments import rules

ABD_STAFF_GROUP = "ABD-medewerkers"
MINISTER_OFFICE_GROUP = "Ministersbureau"

ABD_STAFF = "abd_staff"
MINISTER_OFFICE = "minister_office"
NO_ROLE = "none"


def role_of(user) -> str:
    if not user.is_authenticated or not user.is_active:
        return NO_ROLE
    if _in_group(user, ABD_STAFF_GROUP):
        return ABD_STAFF
    if _in_group(user, MINISTER_OFFICE_GROUP) and office_ministry_id(user):
        return MINISTER_OFFICE
    return NO_ROLE


def _in_group(user, name: str) -> bool:
    cache = getattr(user, "_tmg_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._tmg_groups = cache
    return name in cache


def office_ministry_id(user):
    profile = getattr(user, "office_profile", None)
    return profile.ministry_id if profile else None


def is_abd_staff(user) -> bool:
    return role_of(user) == ABD_STAFF


def file_ministry(member_ref: str = "pk", *, today=None) -> Subquery:
    """The ministry whose office holds the file of the member at `OuterRef(member_ref)`: that of the
    member's current appointment (appointments.rules.current_appointment) when it is held."""
    current = apps.get_model("appointments", "Appointment").objects.current_of(
        OuterRef(member_ref), today=today
    )
    return Subquery(current.filter(status__in=rules.HELD_STATES).values("function__ministry")[:1])


def _path(prefix: str, rest: str) -> str:
    return f"{prefix}__{rest}" if prefix else rest


def scope(user, queryset, *, member: str, dossier: str | None = None):
    """The part of `queryset` that `user` may see. Every list, detail, export, PDF, history and pay
    view of a member's file comes here.

    `member` leads from the model to the Member ("pk" for the Member itself); `dossier`, for records
    that belong to one appointment dossier, leads to that Appointment ("" for the Appointment itself),
    so a proposal's own dossier is shown to the office of the proposed ministry.
    """
    current = role_of(user)
    if current == ABD_STAFF:
        return queryset
    if current != MINISTER_OFFICE:
        return queryset.none()
    ministry = office_ministry_id(user)
    files = (
        apps.get_model("appointments", "Member")
        .objects.annotate(file_ministry_id=file_ministry())
        .filter(file_ministry_id=ministry)
        .values("pk")
    )
    visible = Q(**{_path(member, "in"): files})
    if dossier is not None:
        visible |= Q(
            **{
                _path(dossier, "function__ministry"): ministry,
                _path(dossier, "status__in"): rules.PLANNED_STATES,
            }
        )
    return queryset.filter(visible)


def scope_ministry_records(user, queryset, ministry_path: str):
    """Records that belong to a ministry rather than to a member's file (the function catalogue)."""
    current = role_of(user)
    if current == ABD_STAFF:
        return queryset
    if current == MINISTER_OFFICE:
        return queryset.filter(**{ministry_path: office_ministry_id(user)})
    return queryset.none()


def require_abd_staff(user) -> None:
    if not is_abd_staff(user):
        raise PermissionDenied


def require_minister_office(user) -> None:
    """Extension decisions are the office's alone [domain §9]."""
    if role_of(user) != MINISTER_OFFICE:
        raise PermissionDenied
