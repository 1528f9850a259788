"""The law of TMG pay, as plain Python [domain §6-§7].

No Django, no database, no clock. Amounts that change over time (scale amounts, allowance rates, WNT
maxima) are arguments, read by the caller from the dated tables in `salaries.models`; where no
amount is in force on a date the caller raises `NoAmountInForce`, never returns 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


class NoAmountInForce(LookupError):
    """No dated amount covers the date asked for."""


@dataclass(frozen=True)
class Cited:
    value: object
    source: str


def scale_for_group(group: str) -> Cited:
    """Group A functions are paid from scale 19 (Bijlage A), group B from scale 18 (Bijlage B)
    [Regeling art. 1 under a/b; BBRA 4-5]."""
    scales = {"A": 19, "B": 18}
    if group not in scales:
        raise ValueError(f"Unknown function group {group!r}")
    return Cited(scales[group], "[Regeling art. 1; BBRA 4-5]")


CENT = Decimal("0.01")
