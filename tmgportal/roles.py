"""Roles and the one rule that decides which records a user may see [tmgportal.roles].

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


# -- What a user may do ------------------------------------------------------------------------------
# Views, templates and services ask for an ability, never for a role: a new role (a member reading
# their own file, say) is one more line in ABILITIES, and `scope` says which files it reaches.

CHANGE_FILES = "change_files"  # members, dossiers, side activities, documents, KBs, placements, WNT
MANAGE_REFERENCE = "manage_reference"  # the function catalogue and the dated pay tables
OVERSEE = "oversee"  # pages across every file: pay tables, WNT overview, back pay, regimes, exports
DECIDE_EXTENSIONS = "decide_extensions"  # the office's decision on an extension [tmgportal.roles]

ABILITIES: dict[str, frozenset[str]] = {
    ABD_STAFF: frozenset({CHANGE_FILES, MANAGE_REFERENCE, OVERSEE}),
    MINISTER_OFFICE: frozenset({DECIDE_EXTENSIONS}),
    NO_ROLE: frozenset(),
}


def abilities(user) -> frozenset[str]:
    return ABILITIES[role_of(user)]


def may(user, ability: str) -> bool:
    return ability in abilities(user)


def require(user, ability: str) -> None:
    if not may(user, ability):
        raise PermissionDenied


class Capabilities:
    """The abilities of one user, as templates read them: `{% if can.change_files %}`; and whether a
    given file may be changed now (`{% if can|may_change:member %}`: not an archived file)."""

    def __init__(self, user):
        self._abilities = abilities(user)

    def __getattr__(self, ability: str) -> bool:
        if ability.startswith("_"):
            raise AttributeError(ability)
        if ability not in ALL_ABILITIES:
            raise AttributeError(f"No such ability: {ability}")
        return ability in self._abilities

    def may_change(self, member) -> bool:
        return CHANGE_FILES in self._abilities and member.archived_at is None


ALL_ABILITIES = frozenset({CHANGE_FILES, MANAGE_REFERENCE, OVERSEE, DECIDE_EXTENSIONS})


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


def scope_key(user) -> str:
    """Two users with the same key see the same records and may do the same: part of the key of a
    page part cached for everyone who sees it the same way (tmgportal.fragments)."""
    return f"{role_of(user)}:{office_ministry_id(user) or ''}"


def scope_ministry_records(user, queryset, ministry_path: str):
    """Records that belong to a ministry rather than to a member's file (the function catalogue)."""
    current = role_of(user)
    if current == ABD_STAFF:
        return queryset
    if current == MINISTER_OFFICE:
        return queryset.filter(**{ministry_path: office_ministry_id(user)})
    return queryset.none()
