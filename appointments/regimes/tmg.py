"""The TMG regime as a Regime: its figures and logic stay in appointments.rules [ARAR 7.4; CAO17;
Nadere regels 1; TMG-page]; this module only presents them in the shape every regime shares."""

from dataclasses import dataclass
from datetime import date

from .. import rules
from . import Course, Moment, RegimeBase


@dataclass(frozen=True)
class TmgRegime(RegimeBase):
    steering_moment: str = "conversation"

    def course(self, start: date) -> Course:
        marks = rules.term_marks(start, regime=self.figures)
        return Course(
            regime=self.key,
            name=self.name,
            start=start,
            first_end=marks.maximum_term,
            moments=tuple(
                Moment(label, when)
                for label, when in (("minimum_aim", marks.minimum_aim), ("conversation", marks.conversation))
                if when is not None  # a regime's figures may aim at no minimum
            ),
            latest_end=marks.latest_extension_end,
            after=rules.Cited(
                "search_period",
                "[CAO17; TMG-page]",
            ),
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
        """An extension in the interest of the service [Nadere regels 1]: no evaluation is asked (the
        5-year conversation prepares it), the motivation is the extension's own."""
        return rules.validate_extension(
            start_in_function=start, current_end=current_end, proposed_end=proposed_end, regime=self.figures
        )

    def moment_falls_in_term(self, moment: date, term_end: date) -> bool:
        """The 5-year conversation is held while the term runs: not for a term the KB set shorter
        [TMG-page]."""
        return moment < term_end

    def may_renew(self, *, start: date, current_end: date, renewals_so_far: int) -> bool:
        return rules.may_extend(start_in_function=start, current_end=current_end, regime=self.figures)


REGIME = TmgRegime(key="tmg", figures=rules.TMG)
