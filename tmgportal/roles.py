"""Roles and the one function that decides which records a user may see [domain §9].

- ABD staff (group "ABD-medewerkers") and superusers see and change every member file.
- A minister's office (group "Ministersbureau", linked to one ministry by an OfficeProfile) reads
  only the files of its own ministry and decides on extension proposals for them.
- Anyone else, logged in or not, sees no member file.
"""

from django.core.exceptions import PermissionDenied

ABD_STAFF_GROUP = "ABD-medewerkers"
MINISTER_OFFICE_GROUP = "Ministersbureau"

ABD_STAFF = "abd_staff"
MINISTER_OFFICE = "minister_office"
NO_ROLE = "none"


def role_of(user) -> str:
    if not user.is_authenticated or not user.is_active:
        return NO_ROLE
    if user.is_superuser or _in_group(user, ABD_STAFF_GROUP):
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


def scope(user, queryset, ministry_path: str):
    """The part of `queryset` that `user` may see; `ministry_path` leads from the model to the
    ministry whose office may read the record. Every list, detail, edit and export goes here."""
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
