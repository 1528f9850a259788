"""The member's file: create, change, archive and restore, duplicates, and anonymisation after the retention period."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from salaries.models import Placement, WntYearEntry
from tmgportal.history import lock_for_update, retention_pass, save_tracked
from tmgportal.locks import serialise
from tmgportal.validation import name_key

from .. import rules
from ..models import (
    Appointment,
    Conversation,
    Extension,
    KBDocument,
    Member,
    SearchPeriod,
    SideActivity,
    Termination,
)

MEMBER_FIELDS = (
    "surname",
    "prefix",
    "initials",
    "first_name",
    "date_of_birth",
    "abd_member_since",
    "email",
    "phone",
)


class DuplicateMember(ValidationError):
    """The same person (name and date of birth) already has a file, archived or not."""

    def __init__(self, existing: Member):
        super().__init__(
            _(
                "%(name)s, born on %(born)s, already has a file (%(state)s). Open that file instead of making a second one."
            )
            % {
                "name": existing.full_name,
                "born": date_format(existing.date_of_birth, "j F Y"),
                "state": _("archived") if existing.archived_at else _("active"),
            },
            code="duplicate",
        )
        self.existing = existing


def _person_key(member: Member) -> tuple[str, str, str]:
    return name_key(member.surname), name_key(member.prefix), name_key(member.initials)


def member_same_person(member: Member) -> Member | None:
    """Another file of the same person: surname, prefix and initials (ignoring case, dots, spaces,
    invisible characters and Unicode variants: tmgportal.validation.name_key) and date of birth,
    archived files included. Compared in Python over the few files with that date of birth, so a
    file stored before names were cleaned is found too."""
    key = _person_key(member)
    candidates = Member.objects.filter(date_of_birth=member.date_of_birth).exclude(pk=member.pk)
    return next((other for other in candidates if _person_key(other) == key), None)


@transaction.atomic
def member_create(*, user, reason: str = "", **data) -> Member:
    # Two staff creating the same person at once: the second waits, then finds the first's file.
    serialise("member-create")
    member = Member(**{field: data[field] for field in MEMBER_FIELDS if field in data})
    member.full_clean()
    existing = member_same_person(member)
    if existing:
        raise DuplicateMember(existing)
    # Validated above, before the duplicate check, so the names it compares are the cleaned ones.
    return save_tracked(member, user=user, reason=reason or _("Member file created"), validate=False)


@transaction.atomic
def member_update(*, user, member: Member, expected_version: int, reason: str = "", **data) -> Member:
    serialise("member-create")
    current = lock_for_update(Member, pk=member.pk, expected_version=expected_version)
    for field in MEMBER_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    current.full_clean()
    existing = member_same_person(current)
    if existing:
        raise DuplicateMember(existing)
    current.version += 1
    return save_tracked(current, user=user, reason=reason or _("Personal details changed"), validate=False)


@transaction.atomic
def member_archive(*, user, member: Member, reason: str) -> Member:
    """Deleting a member archives the file; its history stays."""
    current = lock_for_update(Member, pk=member.pk, expected_version=None)
    current.archived_at = timezone.now()
    current.version += 1
    return save_tracked(current, user=user, reason=reason)


@transaction.atomic
def member_restore(*, user, member: Member, reason: str) -> Member:
    """Undo an archiving: the file returns to the lists; both steps stay in its history."""
    current = lock_for_update(Member, pk=member.pk, expected_version=None)
    if current.archived_at is None:
        raise ValidationError(_("This file is not archived."))
    if current.anonymised_at is not None:
        raise ValidationError(_("An anonymised file cannot be restored: its personal data are gone."))
    current.archived_at = None
    current.version += 1
    return save_tracked(current, user=user, reason=reason)


# -- Retention [AVG art. 5.1 e] ---------------------------------------------------------

ANONYMOUS_MEMBER = {
    "prefix": "",
    "initials": "X.",
    "first_name": "",
    "date_of_birth": date(1900, 1, 1),
    "abd_member_since": None,
    "email": "",
    "phone": "",
}
# Free text in related records that may describe the person; cleared in the records and their history.
# Every record of the file, the path from it to the member, and its free text that may describe the
# person (cleared in the records and in their history). Each history row's reason is free text too.
FREE_TEXT: list[tuple[type[Any], str, tuple[str, ...]]] = [
    (Member, "pk", ()),
    (Appointment, "member", ()),
    (Extension, "appointment__member", ("motivation", "late_motivation", "remarks")),
    (Conversation, "appointment__member", ("notes",)),
    (Termination, "appointment__member", ("reason",)),
    (SearchPeriod, "appointment__member", ()),
    (SideActivity, "member", ("organisation", "role", "motivation", "conditions", "publication_reason")),
    (Placement, "member", ("motivation",)),
    (WntYearEntry, "member", ("excess_reason",)),
    (KBDocument, "appointment__member", ()),
]
# Stored in place of every history reason of an anonymised file (data, so in the language of the records).
REASON_REMOVED = "Reden verwijderd bij anonimisering (bewaartermijn verstreken)"


def member_left_on(member: Member):
    """The day the member left: employment ended after the search period, or the file was archived;
    None while an appointment or search period runs."""
    appointments = list(member.appointments.select_related("search_period"))
    if any(a.status in rules.RUNNING_STATES or a.status == rules.SEARCH_PERIOD for a in appointments):
        return None
    days = [
        a.search_period.outcome_date
        for a in appointments
        if getattr(a, "search_period", None) and a.search_period.outcome_date
    ]
    if member.archived_at:
        days.append(timezone.localdate(member.archived_at))
    return max(days) if days else None


@transaction.atomic
def member_anonymise(*, user, member: Member, reason: str) -> Member:
    """Replace the personal data of a member who left longer ago than the retention period, in the
    file and in every history row, and record that it was done. KB PDFs are kept as they are: they
    are the legal acts (their archiving is a question for the Archiefwet selection list)."""
    current = lock_for_update(Member, pk=member.pk, expected_version=None)
    values = ANONYMOUS_MEMBER | {"surname": f"Geanonimiseerd-{current.pk}"}
    with retention_pass():
        # The one rewrite of history rows: retention overrides the record of what the data was.
        Member.history.filter(id=current.pk).update(**values)
        for model, path, fields in FREE_TEXT:
            cleared: dict[str, object] = dict.fromkeys(fields, "") | (
                {"dossier_state": {}} if model is KBDocument else {}
            )
            records = model.objects.filter(**{path: current.pk})
            if cleared:
                records.update(**cleared)
            model.history.filter(id__in=records.values("pk")).update(
                **cleared, history_change_reason=REASON_REMOVED
            )
    for name, value in values.items():
        setattr(current, name, value)
    current.anonymised_at = timezone.now()
    current.version += 1
    return save_tracked(current, user=user, reason=reason, validate=False)
