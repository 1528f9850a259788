"""Term regimes: the TMG (default) and the Flemish top-executive mandates [VPS].

A regime is a value with its figures (`rules.TermRegime`) plus a module for the logic where it
differs. The dossier asks the regime of its function (`Function.regime`) for its course (first end,
the moments that steer it, the latest possible end, what follows) and to check a renewal; nothing in
the dossier knows which regime it runs under. Plain Python, free of Django.

Adding a regime: docs/regimes.md.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Protocol

from .. import rules
from ..rules import Cited


@dataclass(frozen=True)
class Moment:
    """A date that steers the dossier (a conversation, an evaluation), with its label and source."""

    label: str
    when: Cited


@dataclass(frozen=True)
class Course:
    """What a regime says of a term that starts on `start`: the dates are exclusive ends but the
    moments, each with its source."""

    regime: str
    name: str
    start: date
    first_end: Cited
    moments: tuple[Moment, ...]
    latest_end: Cited
    after: Cited


@dataclass(frozen=True)
class RegimeBase:
    """What every regime module's class shares: its key in the catalogue, its figures, and the
    moment its dashboard deadline stands for."""

    key: str
    figures: rules.TermRegime
    steering_moment: str

    @property
    def name(self) -> str:
        return self.figures.name


class Regime(Protocol):
    """What the dossier asks of a regime (read-only: a regime is a value)."""

    @property
    def key(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def figures(self) -> rules.TermRegime: ...

    @property
    def steering_moment(self) -> str: ...

    def course(self, start: date) -> Course: ...

    def validate_renewal(
        self,
        *,
        start: date,
        current_end: date,
        proposed_end: date,
        renewals_so_far: int,
        evaluation_positive: bool | None,
        motivation: str,
    ) -> Cited: ...

    def may_renew(self, *, start: date, current_end: date, renewals_so_far: int) -> bool: ...

    def moment_falls_in_term(self, moment: date, term_end: date) -> bool: ...


@cache
def _registry() -> dict[str, Regime]:
    from . import flemish, tmg

    return {tmg.REGIME.key: tmg.REGIME, flemish.REGIME.key: flemish.REGIME}


DEFAULT = "tmg"


def get(key: str) -> Regime:
    """The regime named by a function's catalogue entry; TMG when it names none."""
    return _registry()[key or DEFAULT]


def choices() -> list[tuple[str, str]]:
    return [(key, regime.name) for key, regime in _registry().items()]
