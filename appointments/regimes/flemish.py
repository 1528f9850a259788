"""The Flemish government's top-executive mandates, for comparison and for functions under that
regime [VPS]:

- a mandate of at most 6 years;
- renewable once, for at most 6 years, after a positive end-of-mandate evaluation;
- under conditions a second time, for at most 6 years (the conditions are recorded as a motivation);
- so at most 18 years in one mandate function;
- appointment by the Flemish Government on the proposal of the competent minister, after a vacancy
  and a selection by the Agentschap Overheidspersoneel (not a date the dossier computes).

Not in the sources we have (docs/sources.md), so not invented here: when before the end of a mandate the evaluation takes
place (the evaluation is due by the mandate's end, the only date the text gives), which conditions
allow the third mandate (the motivation must name them), and what follows a mandate ("return to
grade" is named, not described). Plain Python, free of Django.
"""

from dataclasses import dataclass
from datetime import date

from .. import rules
from . import Course, Moment, RegimeBase

# Shown to users beside every date of the regime: the legal text, Vlaams personeelsstatuut (VPS)
# art. V 2 (mandates of at most 6 years) and V 15 (their renewal).
SOURCE = "[VPS art. V 2, V 15]"

FLEMISH = rules.TermRegime(
    name="Vlaamse topkader-mandaten",
    max_term_years=6,  # a mandate of at most 6 years [VPS]
    minimum_aim_years=None,  # no minimum aimed at (the sources are silent)
    conversation_after_years=6,  # the end-of-mandate evaluation, due by the mandate's end [VPS]
    max_extension_years=6,  # each renewal for at most 6 years [VPS]
    max_total_years=18,  # one mandate and two renewals of 6 years [VPS]
    search_period_months=None,  # no search period: the mandate regime knows none [VPS]
    shortened_search_period_months=None,
    shortening_request_window_months=None,
    shortening_payment_months=None,
    ww_supplement_percentage=None,
    max_renewals=2,  # once after a positive evaluation, and under conditions once more [VPS]
)


class NoPositiveEvaluation(rules.RuleViolation):
    """A mandate is renewed only after a positive end-of-mandate evaluation [VPS]."""


class ConditionsNotRecorded(rules.RuleViolation):
    """The second renewal (a third mandate) is allowed only under conditions, recorded as a
    motivation [VPS]."""


class NoFurtherRenewal(rules.RuleViolation):
    """A mandate is renewed at most twice [VPS]."""


class RenewalTooLong(rules.RuleViolation):
    """A renewal beyond 6 years, or beyond 18 years in one mandate function [VPS]."""


@dataclass(frozen=True)
class FlemishRegime(RegimeBase):
    steering_moment: str = "evaluation"

    def mandate_ends(self, start: date) -> list[date]:
        """The end (exclusive) of the first mandate and of each possible renewal: 6, 12, 18 years."""
        return [
            rules.add_years(start, self.figures.max_term_years + n * self.figures.max_extension_years)
            for n in range(self.figures.max_renewals + 1)
        ]

    def course(self, start: date) -> Course:
        ends = self.mandate_ends(start)
        return Course(
            regime=self.key,
            name=self.name,
            start=start,
            first_end=rules.Cited(ends[0], SOURCE),
            # Each evaluation is due by the end of the mandate it evaluates, so before every renewal.
            moments=tuple(
                Moment("evaluation", rules.Cited(end, SOURCE)) for end in ends[: self.figures.max_renewals]
            ),
            latest_end=rules.Cited(ends[-1], SOURCE),
            # What follows a mandate is not in the outline this module follows: named, not worked out.
            after=rules.Cited("return_to_grade", "[VPS]"),
        )

    def validate_renewal(
        self,
        *,
        start: date,
        current_end: date,
        proposed_end: date,
        renewals_so_far: int,
        evaluation_positive: bool | None,
        motivation: str,
    ) -> rules.Cited:
        """A renewal follows a recorded positive evaluation; the second only under conditions,
        recorded as a motivation; never a third; each for at most 6 years and never beyond 18 years
        in the function [VPS]."""
        if renewals_so_far >= self.figures.max_renewals:
            raise NoFurtherRenewal(
                "A mandate is renewed at most %(max)s times.", max=self.figures.max_renewals
            )
        if evaluation_positive is not True:
            raise NoPositiveEvaluation(
                "A mandate is renewed only after a positive end-of-mandate evaluation."
            )
        if renewals_so_far == 1 and not motivation.strip():
            raise ConditionsNotRecorded(
                "A third mandate needs the conditions that allow it, as a motivation."
            )
        try:
            rules.validate_extension(
                start_in_function=start,
                current_end=current_end,
                proposed_end=proposed_end,
                regime=self.figures,
            )
        except rules.ExtensionNotAllowed as exc:
            raise RenewalTooLong(
                "A renewal is for at most %(years)s years, to at most %(total)s years in one mandate function.",
                **exc.params,
            ) from exc
        return rules.Cited(proposed_end, SOURCE)

    def moment_falls_in_term(self, moment: date, term_end: date) -> bool:
        """The end-of-mandate evaluation is due by the mandate's end [VPS]."""
        return moment <= term_end

    def may_renew(self, *, start: date, current_end: date, renewals_so_far: int) -> bool:
        return renewals_so_far < self.figures.max_renewals and rules.may_extend(
            start_in_function=start, current_end=current_end, regime=self.figures
        )


REGIME = FlemishRegime(key="vlaams", figures=FLEMISH)
