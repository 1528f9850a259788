"""Stored pay figures: a member's pay per calendar month exactly as `salaries.pay`
computes it, kept current by `salaries.figures` in the same transaction as every change of a
placement, appointment, search period, termination or table. Pages across all members (the WNT
overview, the dashboard, the WNT disclosure) read these rows instead of recomputing every month of
every member on every view. Derived data, not a record: no history of its own (the facts it comes
from have theirs), and `manage.py rebuild_pay_figures` recomputes it and reports any difference."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from appointments.models import Member


class PayMonth(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="pay_months")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    salary = models.DecimalField(max_digits=12, decimal_places=2)
    sg_allowance = models.DecimalField(max_digits=12, decimal_places=2)
    representation = models.DecimalField(max_digits=12, decimal_places=2)
    days_paid = models.PositiveSmallIntegerField()
    # The full monthly pay in force on the last paid day of the month (the chart's rate); empty when
    # nothing was paid or an amount is missing.
    closing_total = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    # [[days, part-time factor], ...]: the employment spans of the month, for the WNT maximum.
    spans = models.JSONField(default=list)
    first_paid_day = models.DateField(null=True)
    last_paid_day = models.DateField(null=True)
    # [[rule violation class, {params}], ...]: amounts no table has, never taken as 0.
    missing = models.JSONField(default=list)
    # [[table, series, first day of the row], ...]: amounts from a table that may have been overtaken.
    outdated = models.JSONField(default=list)

    class Meta:
        ordering = ["member", "month"]
        verbose_name = _("stored monthly pay")
        verbose_name_plural = _("stored monthly pay")
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="pay_month_once")]
        indexes = [models.Index(fields=["month", "member"], name="pay_month_by_month")]

    def __str__(self):
        return f"{self.member_id} {self.month:%Y-%m}"


class PayYear(models.Model):
    """Stored WNT position of one member in one calendar year [WNT 1.1, 2.1, 2.3], from the stored
    months, the year's entry of the salary administration and the year's maximum; refreshed with them
    (`salaries.figures`). The dashboard and the WNT overview select and page on it in the database."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="pay_years")
    year = models.PositiveSmallIntegerField(_("year"))
    bezoldiging = models.DecimalField(max_digits=12, decimal_places=2)
    # The individual maximum; empty when the year has no general maximum or nobody was paid.
    maximum = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    is_above = models.BooleanField(default=False)
    is_near = models.BooleanField(default=False)
    is_complete = models.BooleanField(default=True)

    class Meta:
        ordering = ["year", "member"]
        verbose_name = _("stored WNT year")
        verbose_name_plural = _("stored WNT years")
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="pay_year_once")]
        indexes = [
            models.Index(fields=["year", "is_above", "is_near"], name="pay_year_position"),
        ]

    def __str__(self):
        return f"{self.member_id} {self.year}"
