"""The appointment dossier: from concept through the KB to the end of the term [ARAR 7.4; TMG-page].

The helpers without a leading underscore here are shared by the extension and search-period
services: the appointment's version is the whole dossier's."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tmgportal.history import lock_for_update, save_tracked

from .. import regimes, rules
from ..errors import rule_error
from ..models import (
    Appointment,
    Function,
    Member,
    Termination,
)
from . import effects


def lock_dossier(appointment_pk, expected_version) -> Appointment:
    """Lock the dossier and refuse a page that was opened before its last change. The appointment's
    version is the dossier's: every change of the dossier, its extensions or its search period
    raises it (`bump_dossier` or `_move`)."""
    return lock_for_update(Appointment, pk=appointment_pk, expected_version=expected_version)


def bump_dossier(dossier: Appointment, *, user, reason: str) -> Appointment:
    dossier.version += 1
    return save_tracked(dossier, user=user, reason=reason, validate=False)


def lock_occupancy(appointment: Appointment) -> None:
    """Hold the function's and the member's rows until commit, so that two dossiers cannot reach
    "held" for the same function or member at once (Appointment.clean then sees the other one)."""
    Function.objects.select_for_update().filter(pk=appointment.function_id).exists()
    Member.objects.select_for_update().filter(pk=appointment.member_id).exists()


def with_late_motivation(reason: str, late_motivation: str) -> str:
    """The history reason of a step taken after the term ended, with its motivation
    (rules.validate_take_office, rules.validate_extension_in_time)."""
    if not late_motivation.strip():
        return reason
    return _("%(reason)s (recorded after the term ended: %(motivation)s)") % {
        "reason": reason,
        "motivation": late_motivation.strip(),
    }


def move(
    appointment: Appointment,
    new_status: str,
    *,
    user,
    reason: str,
    expected_version=None,
    locked: bool = False,
    **changes,
):
    """Lock, check the transition [rules.ALLOWED_TRANSITIONS], apply `changes`, save with history.
    `locked`: the caller already holds the dossier from `lock_dossier` in this transaction."""
    current = (
        appointment
        if locked
        else lock_for_update(Appointment, pk=appointment.pk, expected_version=expected_version)
    )
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
    save_tracked(current, user=user, reason=reason)
    # Held or not, its end, what ended it: the member's stored pay follows in this transaction.
    effects.pay_facts_changed([current.member_id])
    return current


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
            term_end = rules.term_end(start_date, regime=regimes.get(function.regime).figures).value
    except rules.RuleViolation as exc:
        raise rule_error(exc, "is_transition_2017" if is_transition_2017 else "term_end") from exc
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
    """The minister of BZK proposes the appointment (voordracht) [TMG-page]."""
    return move(
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
    return move(
        appointment,
        rules.COUNCIL_AGREED,
        user=user,
        reason=reason or _("Council of ministers agreed"),
        expected_version=expected_version,
        council_date=council_date,
    )


@transaction.atomic
def appointment_record_kb(*, user, appointment, kb_date, kb_number, reason="", expected_version=None):
    """The KB is signed: employment as TMG member and appointment in the function [ARAR 7.4; CAO17].
    From now on the appointment holds the function: refused while someone else holds it on one of
    its days, or the member another function (Appointment.clean)."""
    if appointment.council_date and kb_date < appointment.council_date:
        raise ValidationError({"kb_date": _("The KB is signed after the council of ministers agreed.")})
    lock_occupancy(appointment)
    return move(
        appointment,
        rules.KB_SIGNED,
        user=user,
        reason=reason or _("KB signed"),
        expected_version=expected_version,
        kb_date=kb_date,
        kb_number=kb_number,
    )


@transaction.atomic
def appointment_take_office(*, user, appointment, late_motivation="", reason="", expected_version=None):
    try:
        rules.validate_take_office(
            end=appointment.end, today=timezone.localdate(), late_motivation=late_motivation
        )
    except rules.RuleViolation as exc:
        raise rule_error(exc, "late_motivation") from exc
    reason = with_late_motivation(reason or _("Took office"), late_motivation)
    return move(appointment, rules.IN_FUNCTION, user=user, reason=reason, expected_version=expected_version)


@transaction.atomic
def appointment_record_ending_kb(
    *,
    user,
    appointment,
    proposal_date,
    proposal_reference,
    kb_date,
    kb_number,
    reason="",
    expected_version=None,
):
    """The KB of the ending (ontslag uit de functie and the search period) is signed: its
    voordracht and decision, printed on that KB [Circulaire model-KB 1999]."""
    dossier = lock_dossier(appointment.pk, expected_version)
    if dossier.status not in rules.ENDED_STATES:
        raise ValidationError(_("The KB of the ending follows the end of the term."))
    try:
        rules.validate_step_order(earlier=proposal_date, later=kb_date)
    except rules.RuleViolation as exc:
        raise rule_error(exc, "kb_date") from exc
    dossier.ending_proposal_date = proposal_date
    dossier.ending_proposal_reference = proposal_reference
    dossier.ending_kb_date = kb_date
    dossier.ending_kb_number = kb_number
    dossier.version += 1
    return save_tracked(dossier, user=user, reason=reason or _("KB of the ending recorded"))


@transaction.atomic
def appointment_withdraw(*, user, appointment, reason: str, expected_version=None):
    """Withdraw a concept or proposal before the KB is signed; it stays in the file as withdrawn."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for withdrawing.")})
    return move(appointment, rules.WITHDRAWN, user=user, reason=reason, expected_version=expected_version)


@transaction.atomic
def appointment_end(*, user, appointment, reason="", expected_version=None):
    """The term has run out [ARAR 7.4]; a search period or a new function follows [CAO17]."""
    return move(
        appointment,
        rules.ENDED,
        user=user,
        reason=reason or _("Term ended"),
        expected_version=expected_version,
    )


@transaction.atomic
def appointment_terminate_early(*, user, appointment, date, reason: str, expected_version=None):
    """Early termination [Nadere regels]; the search period then starts on this date [TMG-page; CAO17]."""
    termination = Termination(appointment=appointment, date=date, reason=reason)
    termination.full_clean()
    ended = move(
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
    return move(
        appointment,
        rules.REPLACED,
        user=user,
        reason=reason or _("Re-placed in another function"),
        expected_version=expected_version,
    )
