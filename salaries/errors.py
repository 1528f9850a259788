"""Dutch (translatable) messages for the rule violations of `salaries.rules`."""

from django.utils.translation import gettext_lazy as _

from appointments.errors import render

from . import rules

MESSAGES = {
    rules.NoScaleTable: _(
        "No amounts of scale %(scale)s are in force on %(on)s: enter or date them under Salary tables."
    ),
    rules.NoStepInScale: _(
        "The scale %(scale)s table in force on %(on)s has no step %(step)s: enter it under Salary tables."
    ),
    rules.NoExcellenceAmounts: _(
        "No excellence amounts of scale %(scale)s are in force on %(on)s: enter or date them under "
        "Salary tables."
    ),
    rules.NoAllowanceRate: _(
        "No SG allowance percentage is in force on %(on)s: enter or date it under Salary tables."
    ),
    rules.NoWntMaximum: _(
        "No WNT maximum for %(year)s: enter the general maximum of that year under WNT maxima [WNT 2.3]."
    ),
    rules.NoAmountInForce: _(
        "No amount of this table is in force on %(on)s. Enter or date the table first (Salary tables)."
    ),
    rules.StepOutsideScale: _("Step %(step)s does not exist in this scale: choose a step from 0 to %(top)s."),
    rules.MotivationRequired: _(
        "On appointment the salary is that of step 0; a higher step needs a motivation [BBRA 6]."
    ),
    rules.ExcellenceOnlyAtTop: _(
        "Excellence amounts are paid only at the top step (step %(top)s) [BBRA 8.2b; CAO17]."
    ),
    rules.RuleViolation: _("This is not allowed by the rules."),
}


def message_for(exc: rules.RuleViolation) -> str:
    return render(exc, MESSAGES)
