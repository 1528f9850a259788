"""Every change of state in a member's file: one function each, keyword arguments, the acting user
first, inside a transaction, with the reason on the history row [STYLE: services]."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from salaries.models import Placement, WntYearEntry
from tmgportal import roles
from tmgportal.history import lock_for_update, retention_pass, save_tracked

from . import rules
from .errors import message_for
from .models import (
    Appointment,
    CalendarFeed,
    Extension,
    Function,
    KBDocument,
    Member,
    ReminderSent,
    SearchPeriod,
    SideActivity,
    Termination,
)
from .models.dossier import OPEN_EXTENSION
from .models.reminders import new_token

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
FUNCTION_FIELDS = (
    "title",
    "organisation",
    "ministry",
    "group",
    "is_sg",
    "designated_from",
    "designated_until",
    "legal_basis",
    "note",
    "source",
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


def _initials_key(initials: str) -> str:
    return "".join(char for char in initials.casefold() if char.isalnum())


def member_same_person(member: Member) -> Member | None:
    """Another file of the same person: surname, prefix and initials (ignoring case, dots and spaces)
    and date of birth, archived files included."""
    candidates = Member.objects.filter(
        surname__iexact=member.surname.strip(),
        prefix__iexact=member.prefix.strip(),
        date_of_birth=member.date_of_birth,
    ).exclude(pk=member.pk)
    key = _initials_key(member.initials)
    return next((other for other in candidates if _initials_key(other.initials) == key), None)


@transaction.atomic
def member_create(*, user, reason: str = "", **data) -> Member:
    member = Member(**{field: data[field] for field in MEMBER_FIELDS if field in data})
    existing = member_same_person(member)
    if existing:
        raise DuplicateMember(existing)
    return save_tracked(member, user=user, reason=reason or _("Member file created"))


@transaction.atomic
def member_update(*, user, member: Member, expected_version: int, reason: str = "", **data) -> Member:
    current = lock_for_update(Member, pk=member.pk, expected_version=expected_version)
    for field in MEMBER_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    existing = member_same_person(current)
    if existing:
        raise DuplicateMember(existing)
    current.version += 1
    return save_tracked(current, user=user, reason=reason or _("Personal details changed"))


@transaction.atomic
def member_archive(*, user, member: Member, reason: str) -> Member:
    """Deleting a member archives the file; its history stays [issue: audit]."""
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


@transaction.atomic
def function_create(*, user, reason: str = "", **data) -> Function:
    function = Function(**{field: data[field] for field in FUNCTION_FIELDS if field in data})
    return save_tracked(function, user=user, reason=reason or _("Function added to the catalogue"))


@transaction.atomic
def function_update(*, user, function: Function, reason: str = "", **data) -> Function:
    current = Function.objects.select_for_update().get(pk=function.pk)
    for field in FUNCTION_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    return save_tracked(current, user=user, reason=reason or _("Function changed"))


# -- Appointment dossier ---------------------------------------------------------------------------


def _rule_error(exc: rules.RuleViolation, field=None) -> ValidationError:
    message = message_for(exc)
    return ValidationError({field: message} if field else message)


def _lock_dossier(appointment_pk, expected_version) -> Appointment:
    """Lock the dossier and refuse a page that was opened before its last change. The appointment's
    version is the dossier's: every change of the dossier, its extensions or its search period
    raises it (`_bump_dossier` or `_move`)."""
    return lock_for_update(Appointment, pk=appointment_pk, expected_version=expected_version)


def _bump_dossier(dossier: Appointment, *, user, reason: str) -> Appointment:
    dossier.version += 1
    return save_tracked(dossier, user=user, reason=reason, validate=False)


def _move(appointment: Appointment, new_status: str, *, user, reason: str, expected_version=None, **changes):
    """Lock, check the transition [rules.ALLOWED_TRANSITIONS], apply `changes`, save with history."""
    current = lock_for_update(Appointment, pk=appointment.pk, expected_version=expected_version)
    try:
        rules.check_transition(current.status, new_status)
    except rules.TransitionNotAllowed as exc:
        raise ValidationError(
            _("This step is not possible: the dossier has status '%(status)s'.")
            % {"status": current.get_status_display()}
        ) from exc
    for field, value in changes.items():
        setattr(current, field, value)
    current.status = new_status
    current.version += 1
    return save_tracked(current, user=user, reason=reason)


@transaction.atomic
def appointment_create(
    *,
    user,
    member: Member,
    function: Function,
    start_date,
    term_end=None,
    is_transition_2017: bool = False,
    start_in_function=None,
    reason: str = "",
) -> Appointment:
    """A concept appointment. Without an explicit (shorter) end the term is the maximum of 7 years
    [ARAR 7.4]; under the transition rule the end follows from [ARAR 130d]."""
    try:
        if is_transition_2017:
            start_in_function = start_in_function or start_date
            term_end = rules.term_end_transition_2017(
                start_in_function=start_in_function, function_group=function.group
            ).value
            start_date = max(start_date, rules.TRANSITION_2017_DATE)
        elif term_end is None:
            term_end = rules.term_end(start_date).value
    except rules.RuleViolation as exc:
        raise _rule_error(exc, "is_transition_2017" if is_transition_2017 else "term_end") from exc
    appointment = Appointment(
        member=member,
        function=function,
        start_date=start_date,
        term_end=term_end,
        start_in_function=start_in_function or start_date,
        is_transition_2017=is_transition_2017,
    )
    return save_tracked(appointment, user=user, reason=reason or _("Appointment drafted (concept)"))


@transaction.atomic
def appointment_update_concept(
    *, user, appointment: Appointment, expected_version: int, reason: str = "", **data
):
    current = lock_for_update(Appointment, pk=appointment.pk, expected_version=expected_version)
    if current.status != Appointment.Status.CONCEPT:
        raise ValidationError(_("Only a concept can be changed this way."))
    for field in ("function", "start_date", "term_end"):
        if field in data:
            setattr(current, field, data[field])
    current.start_in_function = current.start_date
    current.version += 1
    return save_tracked(current, user=user, reason=reason or _("Concept appointment changed"))


@transaction.atomic
def appointment_propose(
    *, user, appointment, proposal_date, proposal_reference="", reason="", expected_version=None
):
    """The minister of BZK proposes the appointment (voordracht) [TMG-page; domain §2]."""
    return _move(
        appointment,
        rules.PROPOSED,
        user=user,
        reason=reason or _("Proposed (voordracht)"),
        expected_version=expected_version,
        proposal_date=proposal_date,
        proposal_reference=proposal_reference,
    )


@transaction.atomic
def appointment_record_council(*, user, appointment, council_date, reason="", expected_version=None):
    """The council of ministers agreed [TMG-page]."""
    if appointment.proposal_date and council_date < appointment.proposal_date:
        raise ValidationError({"council_date": _("The council of ministers decides after the proposal.")})
    return _move(
        appointment,
        rules.COUNCIL_AGREED,
        user=user,
        reason=reason or _("Council of ministers agreed"),
        expected_version=expected_version,
        council_date=council_date,
    )


@transaction.atomic
def appointment_record_kb(*, user, appointment, kb_date, kb_number, reason="", expected_version=None):
    """The KB is signed: employment as TMG member and appointment in the function [ARAR 7.4; CAO17]."""
    if appointment.council_date and kb_date < appointment.council_date:
        raise ValidationError({"kb_date": _("The KB is signed after the council of ministers agreed.")})
    return _move(
        appointment,
        rules.KB_SIGNED,
        user=user,
        reason=reason or _("KB signed"),
        expected_version=expected_version,
        kb_date=kb_date,
        kb_number=kb_number,
    )


@transaction.atomic
def appointment_take_office(*, user, appointment, reason="", expected_version=None):
    return _move(
        appointment,
        rules.IN_FUNCTION,
        user=user,
        reason=reason or _("Took office"),
        expected_version=expected_version,
    )


@transaction.atomic
def appointment_end(*, user, appointment, reason="", expected_version=None):
    """The term has run out [ARAR 7.4]; a search period or a new function follows [CAO17]."""
    return _move(
        appointment,
        rules.ENDED,
        user=user,
        reason=reason or _("Term ended"),
        expected_version=expected_version,
    )


@transaction.atomic
def appointment_terminate_early(*, user, appointment, date, reason: str, expected_version=None):
    """Early termination [Nadere regels]; the search period then starts on this date [domain §5]."""
    termination = Termination(appointment=appointment, date=date, reason=reason)
    termination.full_clean()
    ended = _move(
        appointment,
        rules.ENDED,
        user=user,
        reason=reason,
        expected_version=expected_version,
        ended_on=date,
    )
    save_tracked(termination, user=user, reason=reason, validate=False)
    return ended


@transaction.atomic
def appointment_replace(*, user, appointment, reason="", expected_version=None):
    """The member moved to another function when the term ended; no search period [TMG-page]."""
    return _move(
        appointment,
        rules.REPLACED,
        user=user,
        reason=reason or _("Re-placed in another function"),
        expected_version=expected_version,
    )


# -- Extension ---------------------------------------------------------------------------------------


@transaction.atomic
def extension_propose(
    *, user, appointment, reason_code, motivation, proposed_end, reason="", expected_version=None
):
    """ABD proposes an extension in the interest of the service [Nadere regels 1]."""
    appointment = _lock_dossier(appointment.pk, expected_version)
    if appointment.status not in (rules.IN_FUNCTION, rules.EXTENDED):
        raise ValidationError(_("Only an appointment in function can be extended."))
    if appointment.extensions.filter(status__in=OPEN_EXTENSION).exists():
        raise ValidationError(_("An extension proposal for this appointment is already pending."))
    extension = Extension(
        appointment=appointment,
        reason=reason_code,
        motivation=motivation,
        current_end=appointment.term_end,
        proposed_end=proposed_end,
        proposed_by=user,
        proposed_at=timezone.now(),
    )
    save_tracked(extension, user=user, reason=reason or _("Extension proposed"))
    _bump_dossier(appointment, user=user, reason=reason or _("Extension proposed"))
    return extension


@transaction.atomic
def extension_decide(*, user, extension, approve: bool, remarks: str, expected_version=None):
    """The office of the member's ministry approves or rejects [domain §9]. Nobody else may."""
    if (
        roles.role_of(user) != roles.MINISTER_OFFICE
        or not Extension.objects.for_user(user).filter(pk=extension.pk).exists()
    ):
        raise PermissionDenied
    current = lock_for_update(Extension, pk=extension.pk, expected_version=expected_version)
    dossier = _lock_dossier(current.appointment_id, None)
    if current.status != Extension.Status.PROPOSED:
        raise ValidationError(_("This proposal has already been decided."))
    if not approve and not remarks.strip():
        raise ValidationError({"remarks": _("Give the reason for a rejection.")})
    current.status = Extension.Status.APPROVED if approve else Extension.Status.REJECTED
    current.decided_by = user
    current.decided_at = timezone.now()
    current.remarks = remarks
    current.version += 1
    label = _("Extension approved by the office") if approve else _("Extension rejected by the office")
    save_tracked(current, user=user, reason=f"{label}: {remarks}" if remarks else label)
    _bump_dossier(dossier, user=user, reason=label)
    return current


@transaction.atomic
def extension_record_kb(
    *, user, extension, council_date, kb_date, kb_number, reason="", expected_version=None
):
    """The extension is granted by KB after the council of ministers [TMG-page: same procedure]."""
    current = lock_for_update(Extension, pk=extension.pk, expected_version=None)
    _lock_dossier(current.appointment_id, expected_version)
    if current.status != Extension.Status.APPROVED:
        raise ValidationError(_("Only an extension approved by the office can be granted by KB."))
    if kb_date < council_date:
        raise ValidationError({"kb_date": _("The KB is signed after the council of ministers agreed.")})
    current.status = Extension.Status.KB_RECORDED
    current.council_date = council_date
    current.kb_date = kb_date
    current.kb_number = kb_number
    current.version += 1
    save_tracked(current, user=user, reason=reason or _("Extension granted by KB"))
    return _move(
        current.appointment,
        rules.EXTENDED,
        user=user,
        reason=reason or _("Term extended by KB %(number)s") % {"number": kb_number},
        term_end=current.proposed_end,
    )


@transaction.atomic
def extension_withdraw(*, user, extension, reason: str, expected_version=None):
    current = lock_for_update(Extension, pk=extension.pk, expected_version=None)
    dossier = _lock_dossier(current.appointment_id, expected_version)
    if current.status not in OPEN_EXTENSION:
        raise ValidationError(_("Only a pending extension can be withdrawn."))
    current.status = Extension.Status.WITHDRAWN
    current.version += 1
    save_tracked(current, user=user, reason=reason)
    _bump_dossier(dossier, user=user, reason=reason)
    return current


# -- Search period -----------------------------------------------------------------------------------


@transaction.atomic
def search_period_start(*, user, appointment, reason="", expected_version=None):
    """No new function when the term ends (or at early termination): the search period starts on
    the (exclusive) end date [CAO17; TMG-page; domain §5]."""
    ended = _move(
        appointment,
        rules.SEARCH_PERIOD,
        user=user,
        reason=reason or _("Search period started"),
        expected_version=expected_version,
    )
    dates = rules.search_period(ended.end)
    period = SearchPeriod(appointment=ended, start=dates.start.value, end=dates.end.value)
    return save_tracked(period, user=user, reason=reason or _("Search period started"))


@transaction.atomic
def search_period_shorten(
    *, user, search_period, requested_on, monthly_income, reason="", expected_version=None
):
    """The member asks in the first month to end 6 months earlier: at most 18 months and a payment
    of 6 x monthly income [CAO17; TMG-page]. `expected_version` is the dossier's."""
    dossier = _lock_dossier(search_period.appointment_id, expected_version)
    current = lock_for_update(SearchPeriod, pk=search_period.pk, expected_version=None)
    if not current.is_running or current.is_shortened:
        raise ValidationError(_("This search period can no longer be shortened."))
    try:
        rules.validate_shortening_request(current.start, requested_on)
        payment = rules.shortening_payment(monthly_income)
    except rules.RuleViolation as exc:
        raise _rule_error(exc, "requested_on") from exc
    current.shortening_requested_on = requested_on
    current.monthly_income = monthly_income
    current.shortening_payment = payment.value
    current.end = rules.search_period(current.start, shortened=True).end.value
    current.version += 1
    save_tracked(current, user=user, reason=reason or _("Search period shortened to 18 months"))
    _bump_dossier(dossier, user=user, reason=reason or _("Search period shortened to 18 months"))
    return current


@transaction.atomic
def search_period_close(*, user, search_period, outcome, on, reason="", expected_version=None):
    """The search period ends: re-placed in a new function (it ends early), or at its end the
    employment ends by mutual consent or by the court, with the 110% WW supplement [CAO17].
    `expected_version` is the dossier's."""
    _lock_dossier(search_period.appointment_id, expected_version)
    current = lock_for_update(SearchPeriod, pk=search_period.pk, expected_version=None)
    if not current.is_running:
        raise ValidationError(_("This search period has already ended."))
    try:
        rules.validate_date_in_period(on, current.start, current.end)
    except rules.RuleViolation as exc:
        raise _rule_error(exc, "on") from exc
    current.outcome = outcome
    current.outcome_date = on
    current.version += 1
    label = dict(SearchPeriod.Outcome.choices)[outcome]
    save_tracked(current, user=user, reason=reason or str(label))
    new_status = rules.REPLACED if outcome == SearchPeriod.Outcome.REPLACED else rules.EMPLOYMENT_ENDED
    _move(current.appointment, new_status, user=user, reason=reason or str(label))
    return current


# -- Deadlines: calendar feed and reminders ----------------------------------------------------------


@transaction.atomic
def calendar_feed_renew(*, user) -> CalendarFeed:
    """A new secret token; the old feed URL stops working at once."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token = new_token()
    return save_tracked(feed, user=user, reason=_("Calendar feed address renewed"))


@transaction.atomic
def reminder_record(*, user, recipient, deadline_key: str) -> bool:
    """Record a reminder; False when it was already sent (it is then not sent again)."""
    if ReminderSent.objects.filter(recipient=recipient, deadline_key=deadline_key).exists():
        return False
    save_tracked(
        ReminderSent(recipient=recipient, deadline_key=deadline_key), user=user, reason=_("Reminder e-mailed")
    )
    return True


# -- Side activities [CAO17; domain §8] ---------------------------------------------------------------

SIDE_ACTIVITY_FIELDS = ("organisation", "role", "is_paid", "hours_per_month", "start", "end", "reported_on")


@transaction.atomic
def side_activity_report(*, user, member: Member, reason: str = "", **data) -> SideActivity:
    """Record a side activity the member reported; it waits for ABD's assessment."""
    activity = SideActivity(member=member, **{f: data[f] for f in SIDE_ACTIVITY_FIELDS if f in data})
    return save_tracked(activity, user=user, reason=reason or _("Side activity reported"))


@transaction.atomic
def side_activity_update(
    *, user, activity: SideActivity, expected_version: int, reason: str, **data
) -> SideActivity:
    current = lock_for_update(SideActivity, pk=activity.pk, expected_version=expected_version)
    for field in SIDE_ACTIVITY_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    current.version += 1
    return save_tracked(current, user=user, reason=reason)


@transaction.atomic
def side_activity_assess(
    *,
    user,
    activity: SideActivity,
    expected_version: int,
    assessment: str,
    motivation: str,
    conditions: str = "",
) -> SideActivity:
    """ABD's assessment. An activity no longer permitted leaves the register at once."""
    current = lock_for_update(SideActivity, pk=activity.pk, expected_version=expected_version)
    current.assessment = assessment
    current.motivation = motivation
    current.conditions = conditions
    current.assessed_by = user
    current.assessed_at = timezone.now()
    if (
        current.publication == SideActivity.Publication.PUBLISHED
        and assessment not in rules.PUBLISHABLE_ASSESSMENTS
    ):
        current.publication = SideActivity.Publication.WITHDRAWN
        current.publication_reason = motivation
        current.publication_changed_at = current.assessed_at
    current.version += 1
    return save_tracked(current, user=user, reason=motivation)


@transaction.atomic
def side_activity_publish(*, user, activities, reason: str) -> list[SideActivity]:
    """Publish one or more activities; each keeps its own history row. All or none: one that may not
    be published stops the whole batch with a message that names it."""
    published = []
    for activity in activities:
        current = lock_for_update(SideActivity, pk=activity.pk, expected_version=None)
        try:
            rules.validate_publication(assessment=current.assessment)
        except rules.RuleViolation as exc:
            raise ValidationError(f"{current}: {message_for(exc)}") from exc
        current.publication = SideActivity.Publication.PUBLISHED
        current.publication_reason = ""
        current.publication_changed_at = timezone.now()
        current.version += 1
        published.append(save_tracked(current, user=user, reason=reason))
    return published


@transaction.atomic
def side_activity_unpublish(
    *, user, activity: SideActivity, expected_version: int, reason: str
) -> SideActivity:
    """Decide not to publish, or withdraw from the register; either needs a reason [CAO17]."""
    current = lock_for_update(SideActivity, pk=activity.pk, expected_version=expected_version)
    try:
        rules.validate_not_publishing(reason=reason)
    except rules.RuleViolation as exc:
        raise _rule_error(exc, "reason") from exc
    was_public = current.publication == SideActivity.Publication.PUBLISHED
    current.publication = (
        SideActivity.Publication.WITHDRAWN if was_public else SideActivity.Publication.NOT_PUBLISHED
    )
    current.publication_reason = reason
    current.publication_changed_at = timezone.now()
    current.version += 1
    return save_tracked(current, user=user, reason=reason)


# -- Model-KB decisions [domain §10] ----------------------------------------------------------------

ENDED_STATES = frozenset({rules.ENDED, rules.SEARCH_PERIOD, rules.EMPLOYMENT_ENDED})


def kb_kinds_available(appointment: Appointment) -> list[tuple[str, Extension | None]]:
    """Which KBs the dossier can produce now: the appointment always (a draft until signed), each
    extension once the office approved it, the ending once the appointment has ended."""
    kinds = [(KBDocument.Kind.APPOINTMENT, None)]
    for extension in appointment.extensions.filter(
        status__in=[Extension.Status.APPROVED, Extension.Status.KB_RECORDED]
    ):
        kinds.append((KBDocument.Kind.EXTENSION, extension))
    if appointment.status in ENDED_STATES:
        kinds.append((KBDocument.Kind.ENDING, None))
    return kinds


@transaction.atomic
def kb_generate(
    *, user, appointment: Appointment, kind: str, extension: Extension | None = None
) -> KBDocument:
    """Render the KB from the dossier as it is now and keep it as a new version, with its SHA-256,
    who made it, when and the dossier state. Older versions stay; a new one supersedes the last."""
    from . import kb

    appointment = Appointment.objects.select_related("member", "function__ministry").get(pk=appointment.pk)
    if (kind, extension) not in kb_kinds_available(appointment):
        raise ValidationError(_("This KB cannot be made from the dossier in its present state."))
    text = kb.kb_text(appointment, kind, extension)
    data = kb.render_pdf(text)
    previous = (
        KBDocument.objects.select_for_update()
        .filter(appointment=appointment, kind=kind, extension=extension)
        .order_by("-version")
        .first()
    )
    document = KBDocument(
        appointment=appointment,
        extension=extension,
        kind=kind,
        version=previous.version + 1 if previous else 1,
        sha256=kb.sha256(data),
        dossier_state=kb.dossier_state(text),
        created_by=user,
        created_at=timezone.now(),
        supersedes=previous,
    )
    document.pdf.save(document.filename, ContentFile(data), save=False)
    return save_tracked(
        document, user=user, reason=_("KB generated (version %(v)s)") % {"v": document.version}
    )


@transaction.atomic
def kb_mark_signed(*, user, document: KBDocument, reason: str) -> KBDocument:
    """From now on this version never changes; a correction is a new version that supersedes it."""
    current = KBDocument.objects.select_for_update().get(pk=document.pk)
    if current.is_signed:
        raise ValidationError(_("This KB is already marked as signed."))
    current.signed_at = timezone.now()
    current.signed_by = user
    return save_tracked(current, user=user, reason=reason)


# -- Retention [AVG art. 5.1 e; issue: audit] ---------------------------------------------------------

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
FREE_TEXT = [
    (Member, "pk", ()),
    (Appointment, "member", ()),
    (Extension, "appointment__member", ("motivation", "remarks")),
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
            cleared = dict.fromkeys(fields, "") | ({"dossier_state": {}} if model is KBDocument else {})
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
