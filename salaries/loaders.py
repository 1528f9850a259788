"""Loads the dated pay tables of fixtures/ through the services, under the system user, so every row
has a history entry. A row already there (same series and amounts, whatever dates ABD staff gave it
since) keeps its figures and dates; only its source and note follow the fixture."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from appointments.loaders import read_csv, refresh_text

from . import services
from .models import AllowanceRate, ExcellenceTable, ScaleTable, WntMaximum
from .models.tables import EXCELLENCE_LEVELS, MAX_STEPS


def _date(value: str):
    return date.fromisoformat(value) if value else None


def _amount(value: str):
    return Decimal(value) if value else None


def _load(model, filename: str, *, user, key_fields, build) -> int:
    created = 0
    for row in read_csv(filename):
        instance = build(row)
        existing = model.objects.filter(**{f: getattr(instance, f) for f in key_fields}).first()
        if existing:
            refresh_text(existing, row, user=user, file=filename)
            continue
        # Reference data describe the tables as they are; they are not retroactive changes.
        services.table_save(
            user=user,
            row=instance,
            reason=_("Loaded from fixtures/%(file)s") % {"file": filename},
            today=date.min,
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


def load_pay_tables(*, user) -> int:
    return sum(
        (
            _load(
                ScaleTable,
                "salary-scales.csv",
                user=user,
                key_fields=("scale", "step_0", "step_1"),
                build=lambda row: ScaleTable(
                    scale=int(row["scale"]),
                    **_dated(row),
                    **{f"step_{n}": _amount(row[f"step_{n}"]) for n in range(MAX_STEPS)},
                ),
            ),
            _load(
                ExcellenceTable,
                "salary-excellence.csv",
                user=user,
                key_fields=("scale", "excellence_1"),
                build=lambda row: ExcellenceTable(
                    scale=int(row["scale"]),
                    **_dated(row),
                    **{
                        f"excellence_{n}": _amount(row[f"excellence_{n}"])
                        for n in range(1, EXCELLENCE_LEVELS + 1)
                    },
                ),
            ),
            _load(
                AllowanceRate,
                "allowance-rates.csv",
                user=user,
                key_fields=("kind", "amount"),
                build=lambda row: AllowanceRate(
                    kind=row["kind"], amount=Decimal(row["amount"]), **_dated(row)
                ),
            ),
            _load(
                WntMaximum,
                "wnt-maxima.csv",
                user=user,
                key_fields=("year",),
                build=lambda row: WntMaximum(
                    year=int(row["year"]),
                    amount=Decimal(row["amount"]),
                    source=row["source"],
                    note=row["note"],
                ),
            ),
        )
    )
