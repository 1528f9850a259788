from datetime import date
from decimal import Decimal

import pytest

from salaries import services
from salaries.loaders import load_pay_tables
from salaries.models import ScaleTable
from tmgportal.system import system_user

# Scale 18 step amounts before 1 July 2024 are not in the reference data; these are test figures.
TEST_SCALE_18 = [Decimal("6000.00") + 200 * step for step in range(11)]


@pytest.fixture
def pay_tables(db):
    """The reference tables of fixtures/ plus a test table for scale 18."""
    load_pay_tables(user=system_user())
    services.table_save(
        user=system_user(),
        row=ScaleTable(
            scale=18,
            valid_from=date(2017, 1, 1),
            valid_until=date(2024, 7, 1),
            source="test figures",
            **{f"step_{n}": amount for n, amount in enumerate(TEST_SCALE_18)},
        ),
        reason="test",
        today=date(2017, 1, 1),
    )


def new_scale_19_from(user, on: date, *, raise_by=Decimal("100.00")):
    """ABD staff enter new scale 19 amounts from `on` (each step `raise_by` higher than the row in
    force until then, which ends that day)."""
    current = ScaleTable.objects.get(scale=19, valid_until__isnull=True)
    row = ScaleTable(
        scale=19,
        valid_from=on,
        source="CAO-verhoging (test)",
        **{f"step_{n}": amount + raise_by for n, amount in enumerate(current.amounts)},
    )
    return services.table_save(user=user, row=row, reason="CAO-verhoging", close_previous=True)
