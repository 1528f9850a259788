"""The conversation about extension after 5 years [TMG-page]."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tmgportal.history import save_tracked

from .. import rules
from ..models import Conversation
from .dossier import bump_dossier, lock_dossier


@transaction.atomic
def conversation_record(*, user, appointment, held_on, outcome, notes="", reason="", expected_version=None):
    """Record that the conversation was held and what came of it; it then leaves the dashboard.
    `expected_version` is the dossier's."""
    dossier = lock_dossier(appointment.pk, expected_version)
    if dossier.status not in rules.IN_OFFICE_STATES:
        raise ValidationError(_("A conversation about extension is held while the member is in function."))
    conversation = Conversation(
        appointment=dossier, held_on=held_on, outcome=outcome, notes=notes, recorded_by=user
    )
    label = _("5-year conversation recorded: %(outcome)s") % {"outcome": conversation.get_outcome_display()}
    save_tracked(conversation, user=user, reason=reason or label)
    bump_dossier(dossier, user=user, reason=reason or label)
    return conversation
