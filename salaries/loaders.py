"""Loads the dated pay tables of fixtures/ through the services, under the system user, so every row
has a history entry, and derives the scale tables of every general increase of the CAO Rijk.

The order is the order of time: the tables as published before the increases of the file (the
Besluit level of 2017), then each increase that is not yet recorded, in date order, deriving the
tables from its date, then the tables published after an increase that no earlier table leads to
(scale 18 from 1 July 2024). Loading again changes nothing: a row already there (same series and
start date) keeps its figures; only the source and note of a row still as published follow the file."""

import logging
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from appointments.loaders import read_csv, refresh_text

from . import figures, services
from .models import (
    AllowanceRate,
    Confidence,
    ExcellenceTable,
    GeneralIncrease,
    ScaleTable,
    TableOrigin,
    WntMaximum,
)
from .models.tables import EXCELLENCE_LEVELS, MAX_STEPS

INCREASES = "general-increases.csv"
logger = logging.getLogger(__name__)


def _date(value: str):
    return date.fromisoformat(value) if value else None


def _amount(value: str):
    return Decimal(value) if value else None


def _reason(filename: str) -> str:
    return _("Loaded from fixtures/%(file)s") % {"file": filename}


def _load(model, filename: str, *, user, key_fields, build, rows=None) -> int:
    created = 0
    for row in rows if rows is not None else read_csv(filename):
        instance = build(row)
        existing = model.objects.filter(**{f: getattr(instance, f) for f in key_fields}).first()
        if existing:
            if getattr(existing, "origin", TableOrigin.PUBLISHED) == TableOrigin.PUBLISHED:
                refresh_text(existing, row, user=user, file=filename)
            continue
        # Reference data describe the tables as they are; they are not retroactive changes.
        services.table_save(
            user=user, row=instance, reason=_reason(filename), origin=TableOrigin.PUBLISHED, today=date.min
        )
        created += 1
    return created


def _dated(row) -> dict:
    return {
        "valid_from": _date(row["valid_from"]),
        "valid_until": _date(row["valid_until"]),
        "source": row["source"],
        "note": row["note"],
    }


def _scale_row(row) -> ScaleTable:
    return ScaleTable(
        scale=int(row["scale"]),
        **_dated(row),
        **{f"step_{n}": _amount(row[f"step_{n}"]) for n in range(MAX_STEPS)},
    )


def _excellence_row(row) -> ExcellenceTable:
    return ExcellenceTable(
        scale=int(row["scale"]),
        **_dated(row),
        **{f"excellence_{n}": _amount(row[f"excellence_{n}"]) for n in range(1, EXCELLENCE_LEVELS + 1)},
    )


def _published(filename: str, *, after_increase: bool) -> list[dict]:
    return [row for row in read_csv(filename) if (row["after_increase"] == "ja") == after_increase]


def load_increases(*, user) -> tuple[int, list[str]]:
    """Record each increase of the file not yet recorded, in date order, deriving the tables.
    An increase the tables cannot take (staff dated a table after it by hand) is reported, not forced."""
    applied, refused = 0, []
    for row in sorted(read_csv(INCREASES), key=lambda row: row["valid_from"]):
        valid_from = date.fromisoformat(row["valid_from"])
        if GeneralIncrease.objects.filter(valid_from=valid_from).exists():
            continue
        try:
            services.general_increase_apply(
                user=user,
                valid_from=valid_from,
                percentage=Decimal(row["percentage"]),
                fixed_amount=Decimal(row["fixed_amount"] or "0"),
                agreement=row["agreement"],
                source=row["source"],
                confidence=row["confidence"],
                note=row["note"],
                reason=_reason(INCREASES),
                today=date.min,
            )
        except ValidationError as error:
            refused.append(f"{valid_from.isoformat()}: {' '.join(error.messages)}")
        else:
            applied += 1
    return applied, refused


def load_wnt_maxima(*, user) -> int:
    """The general maximum per year. A row whose amount the file names as replaced (2018: € 187.000
    became € 189.000 with retroactive effect) is corrected, with the reason in its history."""
    changed = 0
    filename = "wnt-maxima.csv"
    for row in read_csv(filename):
        existing = WntMaximum.objects.filter(year=int(row["year"])).first()
        if existing is None:
            existing = WntMaximum(year=int(row["year"]))
        elif existing.amount == Decimal(row["amount"]):
            refresh_text(existing, row, user=user, fields=("source", "note"), file=filename)
            continue
        elif not (row["replaces"] and existing.amount == Decimal(row["replaces"])):
            continue  # a figure ABD staff entered themselves stays theirs
        existing.amount = Decimal(row["amount"])
        existing.source, existing.note, existing.regulation = row["source"], row["note"], row["regulation"]
        existing.confidence = Confidence(row["confidence"])
        services.table_save(
            user=user,
            row=existing,
            reason=_reason(filename) if existing.pk is None else row["note"],
            expected_version=existing.version if existing.pk else None,
            today=date.min,
        )
        changed += 1
    return changed


def _load_published(*, user, after_increase: bool) -> int:
    """The scale and excellence rows of the files that stand before the increases of their date
    (the level the increases raise), or after them (already including the increase of their date)."""
    return sum(
        _load(
            model,
            filename,
            user=user,
            key_fields=("scale", "valid_from"),
            build=build,
            rows=_published(filename, after_increase=after_increase),
        )
        for model, filename, build in (
            (ScaleTable, "salary-scales.csv", _scale_row),
            (ExcellenceTable, "salary-excellence.csv", _excellence_row),
        )
    )


def load_pay_tables(*, user, report=logger.warning) -> int:
    """Every table of fixtures/, the increases derived; returns the rows added or corrected. An
    increase that cannot be applied is reported (`report`), and the rest is loaded."""
    with figures.batch():
        created = _load_published(user=user, after_increase=False)
        created += _load(
            AllowanceRate,
            "allowance-rates.csv",
            user=user,
            key_fields=("kind", "amount"),
            build=lambda row: AllowanceRate(kind=row["kind"], amount=Decimal(row["amount"]), **_dated(row)),
        )
        created += load_wnt_maxima(user=user)
        applied, refused = load_increases(user=user)
        for line in refused:
            report(_("General increase not applied: %(why)s") % {"why": line})
        created += applied
        created += _load_published(user=user, after_increase=True)
    return created
