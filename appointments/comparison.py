"""The regimes side by side for one start date: each row a question, each column a
regime's answer with its source. Built from the regimes' own course (appointments.regimes), so a
third regime appears here without a change."""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import regimes, rules
from .deadlines import MOMENT_LABELS


@dataclass(frozen=True)
class Answer:
    text: str
    source: str


@dataclass(frozen=True)
class Row:
    question: str
    answers: list[Answer]


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def _after(regime) -> str:
    figures = regime.figures
    if figures.search_period_months is None:
        return _("Return to grade: no search period")
    return _(
        "Search period of %(months)s months (%(short)s on the member's request within %(window)s "
        "month(s) of its start, with a payment of %(payment)s x monthly income); then ending with a "
        "%(ww)s%% WW supplement"
    ) % {
        "window": figures.shortening_request_window_months,
        "months": figures.search_period_months,
        "short": figures.shortened_search_period_months,
        "payment": figures.shortening_payment_months,
        "ww": figures.ww_supplement_percentage,
    }


def compare(start: date) -> tuple[list, list[Row]]:
    """The columns (regimes) and the rows of the comparison for a term starting on `start`."""
    columns = [regimes.get(key) for key, _name in regimes.choices()]
    courses = [regime.course(start) for regime in columns]
    rows = [
        Row(
            _("Term and renewal"),
            [
                Answer(
                    _(
                        "%(term)s years; renewable %(times)s x by at most %(renewal)s years, %(total)s years in all"
                    )
                    % {
                        "term": r.figures.max_term_years,
                        "times": r.figures.max_renewals,
                        "renewal": r.figures.max_extension_years,
                        "total": r.figures.max_total_years,
                    },
                    c.latest_end.source,
                )
                for r, c in zip(columns, courses, strict=True)
            ],
        ),
        Row(
            _("First end (last day)"),
            [Answer(_day(rules.last_day(c.first_end.value)), c.first_end.source) for c in courses],
        ),
        Row(
            _("Conversation and evaluation moments"),
            [
                Answer(
                    "; ".join(f"{MOMENT_LABELS[m.label]}: {_day(m.when.value)}" for m in c.moments),
                    " ".join(dict.fromkeys(m.when.source for m in c.moments)),
                )
                for c in courses
            ],
        ),
        Row(
            _("Latest possible end (last day)"),
            [Answer(_day(rules.last_day(c.latest_end.value)), c.latest_end.source) for c in courses],
        ),
        Row(
            _("After the term"),
            [Answer(_after(r), c.after.source) for r, c in zip(columns, courses, strict=True)],
        ),
    ]
    return columns, rows
