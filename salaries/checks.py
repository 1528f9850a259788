"""A bad pay table must fail loudly before anyone reads a wrong amount [STYLE: dated data]:
`manage.py check --database default` (run by `make run` and `make test`) refuses overlapping rows."""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from . import rules


@register(Tags.database)
def check_pay_tables(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    from .models import AllowanceRate, ExcellenceTable, ScaleTable

    errors = []
    try:
        for model in (ScaleTable, ExcellenceTable, AllowanceRate):
            rows = list(model.objects.exclude(valid_from__isnull=True).order_by("valid_from"))
            for index, row in enumerate(rows):
                for other in rows[index + 1 :]:
                    same_series = all(getattr(row, f) == getattr(other, f) for f in model.series_fields)
                    if same_series and rules.periods_overlap(
                        row.valid_from, row.valid_until, other.valid_from, other.valid_until
                    ):
                        errors.append(
                            Error(
                                f"{model._meta.verbose_name}: rows {row.pk} and {other.pk} overlap",
                                hint="Give the earlier row a last day under Salaristabellen.",
                                obj=row,
                                id="salaries.E001",
                            )
                        )
    except DatabaseError:
        return []  # not migrated yet
    return errors
