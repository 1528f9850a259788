"""The search period after the term or early termination [CAO17; TMG-page]."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tmgportal.history import lock_for_update, save_tracked

from .. import rules
from ..errors import rule_error
from ..models import (
    SearchPeriod,
)
from .dossier import bump_dossier, lock_dossier, move


@transaction.atomic
def search_period_start(*, user, appointment, reason="", expected_version=None):
    """No new function when the term ends (or at early termination): the search period starts on
    the (exclusive) end date [CAO17; TMG-page]. A regime without a search period (the
    Flemish mandates [VPS]) has none to start."""
    if appointment.regime.figures.search_period_months is None:
        raise ValidationError(
            _("Under %(regime)s there is no search period after the term.")
            % {"regime": appointment.regime.name}
        )
    ended = move(
        appointment,
        rules.SEARCH_PERIOD,
        user=user,
        reason=reason or _("Search period started"),
        expected_version=expected_version,
    )
    dates = rules.search_period(ended.end, regime=ended.regime.figures)
    period = SearchPeriod(appointment=ended, start=dates.start.value, end=dates.end.value)
    return save_tracked(period, user=user, reason=reason or _("Search period started"))


@transaction.atomic
def search_period_shorten(
    *, user, search_period, requested_on, monthly_income, reason="", expected_version=None
):
    """The member asks in the window (TMG: the first month) to end it earlier (TMG: at most 18
    months) against a payment of months of income (TMG: 6) [CAO17; TMG-page]; the figures are the
    regime's. `expected_version` is the dossier's."""
    dossier = lock_dossier(search_period.appointment_id, expected_version)
    current = lock_for_update(SearchPeriod, pk=search_period.pk, expected_version=None)
    if not current.is_running or current.is_shortened:
        raise ValidationError(_("This search period can no longer be shortened."))
    figures = dossier.regime.figures
    try:
        rules.validate_shortening_request(current.start, requested_on, regime=figures)
        payment = rules.shortening_payment(monthly_income, regime=figures)
    except rules.RuleViolation as exc:
        raise rule_error(exc, "requested_on") from exc
    current.shortening_requested_on = requested_on
    current.monthly_income = monthly_income
    current.shortening_payment = payment.value
    current.end = rules.search_period(current.start, shortened=True, regime=figures).end.value
    current.version += 1
    reason = reason or _("Search period shortened to %(months)s months") % {
        "months": figures.shortened_search_period_months
    }
    save_tracked(current, user=user, reason=reason)
    bump_dossier(dossier, user=user, reason=reason)
    return current


@transaction.atomic
def search_period_close(*, user, search_period, outcome, on, reason="", expected_version=None):
    """The search period ends: re-placed in a new function (it ends early), or at its end the
    employment ends by mutual consent or by the court, with the 110% WW supplement [CAO17].
    `expected_version` is the dossier's."""
    dossier = lock_dossier(search_period.appointment_id, expected_version)
    current = lock_for_update(SearchPeriod, pk=search_period.pk, expected_version=None)
    if not current.is_running:
        raise ValidationError(_("This search period has already ended."))
    try:
        rules.validate_date_in_period(on, current.start, current.end)
    except rules.RuleViolation as exc:
        raise rule_error(exc, "on") from exc
    current.outcome = outcome
    current.outcome_date = on
    current.version += 1
    label = dict(SearchPeriod.Outcome.choices)[outcome]
    save_tracked(current, user=user, reason=reason or str(label))
    new_status = rules.REPLACED if outcome == SearchPeriod.Outcome.REPLACED else rules.EMPLOYMENT_ENDED
    move(dossier, new_status, user=user, reason=reason or str(label), locked=True)
    return current
