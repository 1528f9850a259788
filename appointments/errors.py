"""Dutch (translatable) messages for the rule violations of `appointments.rules`.

rules.py stays free of Django, so its exceptions carry a code and parameters; this module turns
them into the message a user reads on the form, with dates written out ("1 januari 2022")."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import rules
from .regimes import flemish

MESSAGES = {
    rules.TermTooLong: _(
        "A term is at most %(max)s years [ARAR 7.4; CAO17]: its last day is %(latest)s at the latest."
    ),
    rules.EndBeforeStart: _("The last day cannot lie before the start date."),
    rules.ExtensionNotAllowed: _(
        "An extension is by at most %(years)s years, to at most %(total)s years in total in the same "
        "function [Nadere regels 1]: the new last day lies after %(current)s and is %(latest)s at "
        "the latest."
    ),
    rules.TermEndMismatch: _(
        "Under the transition rule of 2017 the last day of the term is %(expected)s [ARAR 130d]."
    ),
    rules.TransitionRuleNotApplicable: _(
        "The transition rule of 2017 applies only to a group B function held on 1 January 2017 [ARAR 130d]."
    ),
    rules.ShorteningNotAllowed: _(
        "A request to shorten the search period must be made in the window for it, from %(start)s up "
        "to and including %(last)s [CAO17]."
    ),
    rules.TransitionNotAllowed: _("This step is not possible: the dossier has status '%(current)s'."),
    rules.NoSearchPeriod: _("Under %(regime)s there is no search period after the term."),
    rules.DateOutsidePeriod: _("The date must lie within the search period (%(start)s to %(end)s)."),
    rules.NotPublishable: _(
        "Only a side activity that is permitted (with or without conditions) can be published [CAO17]."
    ),
    rules.ReasonRequired: _("A decision not to publish needs a recorded reason [CAO17]."),
    rules.TermPassed: _(
        "The term ended: its last day was %(last)s [ARAR 7.4]. Record the end of the term, or for a "
        "late extension give the motivation for the late decision."
    ),
    rules.DateOutOfOrder: _("This date lies before %(earlier)s, the date of the step it follows [TMG-page]."),
    rules.FunctionOccupied: _(
        "The function is held by %(holder)s from %(start)s up to and including %(last)s: a function "
        "has one holder on any day [ARAR 7.4]."
    ),
    rules.MemberHoldsOtherFunction: _(
        "The member holds another function (%(holder)s) from %(start)s up to and including %(last)s: "
        "a member holds one TMG function on any day [ARAR 7.4]."
    ),
    flemish.NoPositiveEvaluation: _(
        "A mandate is renewed only after a positive end-of-mandate evaluation [VPS art. V 15]: record the "
        "evaluation first."
    ),
    flemish.ConditionsNotRecorded: _(
        "A third mandate is allowed only under conditions [VPS art. V 15]: state them in the motivation."
    ),
    flemish.NoFurtherRenewal: _("A mandate is renewed at most %(max)s times [VPS art. V 15]."),
    flemish.RenewalTooLong: _(
        "A renewal is for at most %(years)s years, to at most %(total)s years in one mandate function "
        "[VPS art. V 15]: the new last day lies after %(current)s and is %(latest)s at the latest."
    ),
    rules.RuleViolation: _("This is not allowed by the rules."),
}


def _fmt(value):
    return date_format(value, "j F Y") if isinstance(value, date) else value


def render(exc: rules.RuleViolation, messages: dict) -> str:
    """The message of the most specific class of `exc` in `messages`, its parameters filled in."""
    template = next(messages[cls] for cls in type(exc).__mro__ if cls in messages)
    return str(template) % {key: _fmt(value) for key, value in exc.params.items()}


def message_for(exc: rules.RuleViolation) -> str:
    return render(exc, MESSAGES)


def rule_error(exc: rules.RuleViolation, field: str | None = None) -> ValidationError:
    """The violation as the form error a service raises, on `field` when it names one."""
    message = message_for(exc)
    return ValidationError({field: message} if field else message)
