"""Extension of the term [Nadere regels 1]: proposal, the office's decision, the KB."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tmgportal import roles
from tmgportal.history import lock_for_update, save_tracked

from .. import rules
from ..errors import rule_error
from ..models import (
    Extension,
)
from ..models.extension import OPEN_EXTENSION
from . import notifications
from .dossier import bump_dossier, lock_dossier, lock_occupancy, move, with_late_motivation


@transaction.atomic
def extension_propose(
    *,
    user,
    appointment,
    reason_code,
    motivation,
    proposed_end,
    late_motivation="",
    reason="",
    expected_version=None,
):
    """ABD proposes an extension in the interest of the service [Nadere regels 1]; after the term
    has ended only with a motivation for the late decision (rules.validate_extension_in_time)."""
    appointment = lock_dossier(appointment.pk, expected_version)
    if appointment.status not in (rules.IN_FUNCTION, rules.EXTENDED):
        raise ValidationError(_("Only an appointment in function can be extended."))
    if appointment.extensions.filter(status__in=OPEN_EXTENSION).exists():
        raise ValidationError(_("An extension proposal for this appointment is already pending."))
    try:
        rules.validate_extension_in_time(
            current_end=appointment.term_end, today=timezone.localdate(), late_motivation=late_motivation
        )
    except rules.RuleViolation as exc:
        raise rule_error(exc, "late_motivation") from exc
    extension = Extension(
        appointment=appointment,
        reason=reason_code,
        motivation=motivation,
        current_end=appointment.term_end,
        proposed_end=proposed_end,
        late_motivation=late_motivation,
        proposed_by=user,
        proposed_at=timezone.now(),
    )
    save_tracked(
        extension, user=user, reason=with_late_motivation(reason or _("Extension proposed"), late_motivation)
    )
    bump_dossier(appointment, user=user, reason=reason or _("Extension proposed"))
    notifications.extension_proposed(actor=user, extension=extension)
    return extension


@transaction.atomic
def extension_decide(*, user, extension, approve: bool, remarks: str, expected_version=None):
    """The office of the member's ministry approves or rejects [tmgportal.roles]. Nobody else may."""
    if (
        not roles.may(user, roles.DECIDE_EXTENSIONS)
        or not Extension.objects.for_user(user).filter(pk=extension.pk).exists()
    ):
        raise PermissionDenied
    current = lock_for_update(Extension, pk=extension.pk, expected_version=expected_version)
    dossier = lock_dossier(current.appointment_id, None)
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
    bump_dossier(dossier, user=user, reason=label)
    notifications.extension_decided(actor=user, extension=current)
    return current


@transaction.atomic
def extension_record_kb(
    *,
    user,
    extension,
    council_date,
    kb_date,
    kb_number,
    proposal_date=None,
    proposal_reference="",
    reason="",
    expected_version=None,
):
    """The extension is granted by KB after the council of ministers [TMG-page: same procedure]."""
    current = lock_for_update(Extension, pk=extension.pk, expected_version=None)
    dossier = lock_dossier(current.appointment_id, expected_version)
    if current.status != Extension.Status.APPROVED:
        raise ValidationError(_("Only an extension approved by the office can be granted by KB."))
    # Same procedure as an appointment [TMG-page]: proposal, the office's approval, the council of
    # ministers, the KB, in that order.
    steps = [
        ("proposal_date", timezone.localdate(current.decided_at), proposal_date or council_date),
        ("council_date", proposal_date, council_date),
        ("council_date", timezone.localdate(current.proposed_at), council_date),
        ("kb_date", timezone.localdate(current.decided_at), kb_date),
        ("kb_date", council_date, kb_date),
    ]
    for field, earlier, later in steps:
        try:
            rules.validate_step_order(earlier=earlier, later=later)
        except rules.RuleViolation as exc:
            raise rule_error(exc, field) from exc
    lock_occupancy(dossier)
    current.status = Extension.Status.KB_RECORDED
    current.proposal_date = proposal_date
    current.proposal_reference = proposal_reference
    current.council_date = council_date
    current.kb_date = kb_date
    current.kb_number = kb_number
    current.version += 1
    save_tracked(current, user=user, reason=reason or _("Extension granted by KB"))
    return move(
        dossier,
        rules.EXTENDED,
        user=user,
        reason=reason or _("Term extended by KB %(number)s") % {"number": kb_number},
        locked=True,
        term_end=current.proposed_end,
    )


@transaction.atomic
def extension_withdraw(*, user, extension, reason: str, expected_version=None):
    current = lock_for_update(Extension, pk=extension.pk, expected_version=None)
    dossier = lock_dossier(current.appointment_id, expected_version)
    if current.status not in OPEN_EXTENSION:
        raise ValidationError(_("Only a pending extension can be withdrawn."))
    current.status = Extension.Status.WITHDRAWN
    current.version += 1
    save_tracked(current, user=user, reason=reason)
    bump_dossier(dossier, user=user, reason=reason)
    return current
