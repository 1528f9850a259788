"""The dated tables of pay: scale amounts, excellence amounts, allowance rates and WNT maxima
[BBRA; CAO17; WNT], and the general increases of the CAO Rijk from which later scale tables are derived.
Every row has a validity period, a source and an origin (published, derived or entered by staff);
rules never hold these figures.

A row without a `valid_from` records a figure whose start date is unknown (the CAO says "currently"):
it is shown, but it is in force on no date until ABD staff give it one."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from salaries import rules
from tmgportal.history import AppendOnlyHistory
from tmgportal.validation import PlausibleFieldsMixin

SCALE_CHOICES = [(rules.SCALE_19, _("scale 19")), (rules.SCALE_18, _("scale 18"))]
MAX_STEPS = 11  # steps 0-10: the longest scale of Bijlage A/B the domain names
EXCELLENCE_LEVELS = 3


class TableOrigin(models.TextChoices):
    PUBLISHED = "published", _("published")
    DERIVED = "derived", _("derived")
    ENTERED = "entered", _("entered by ABD staff")


class Confidence(models.TextChoices):
    OFFICIAL = "official", _("official source")
    SECONDARY = "secondary", _("secondary source, not yet confirmed")


def amount_field(label, **kwargs):
    return models.DecimalField(
        label, max_digits=10, decimal_places=2, validators=[MinValueValidator(0)], **kwargs
    )


class DatedTable(PlausibleFieldsMixin, models.Model):
    """A row valid from `valid_from` up to, not including, `valid_until`; rows of one series
    (`series_fields`) may not overlap."""

    series_fields: tuple = ()
    # Set (by the form or the service) when saving this row ends the open-ended row before it.
    closes_previous = False

    valid_from = models.DateField(
        _("valid from"),
        null=True,
        blank=True,
        help_text=_("Empty when the start date is not known: the row is then in force on no date."),
    )
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Exclusive: the first day it no longer applies.")
    )
    source = models.CharField(_("source"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Where the amounts come from: read in a source, computed from the row before and a general
    # increase (`increase`), or typed in by ABD staff.
    origin = models.CharField(
        _("origin"), max_length=20, choices=TableOrigin.choices, default=TableOrigin.ENTERED, editable=False
    )
    increase = models.ForeignKey(
        "salaries.GeneralIncrease",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="%(class)s_rows",
        verbose_name=_("derived with the increase of"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def is_in_force(self, on) -> bool:
        return rules.is_in_force(on, self.valid_from, self.valid_until)

    @property
    def origin_label(self) -> str:
        """Where the amounts come from, as the table screen and the pay page say it."""
        if self.origin == TableOrigin.DERIVED and self.increase is not None:
            return _("derived: increase of %(day)s (%(increase)s)") % {
                "day": date_format(self.increase.valid_from, "j F Y"),
                "increase": self.increase.description,
            }
        return str(self.get_origin_display())

    @property
    def series_label(self) -> str:
        """The table this row belongs to, as staff name it ("salaristabel schaal 19"); the scale
        tables are a series per scale, the allowance rates (which override this) one per kind."""
        return f"{self._meta.verbose_name} {self.get_scale_display()}"

    def series(self):
        return type(self).objects.filter(**{field: getattr(self, field) for field in self.series_fields})

    def clean(self):
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValidationError({"valid_until": _("The last day cannot lie before the start date.")})
        if self.valid_from is None:
            return
        for other in self.series().exclude(pk=self.pk).exclude(valid_from__isnull=True):
            if self.closes_previous and other.valid_until is None and other.valid_from < self.valid_from:
                continue  # the service ends that row on this row's start date
            if rules.periods_overlap(self.valid_from, self.valid_until, other.valid_from, other.valid_until):
                raise ValidationError(
                    {
                        "valid_from": _(
                            "This period overlaps the row valid from %(start)s (%(source)s). Close that "
                            "row first by giving it a last day."
                        )
                        % {"start": date_format(other.valid_from, "j F Y"), "source": other.source}
                    }
                )


def _period_constraint(name):
    return models.CheckConstraint(
        condition=Q(valid_until__isnull=True)
        | Q(valid_from__isnull=True)
        | Q(valid_until__gt=F("valid_from")),
        name=name,
    )


class ScaleTable(DatedTable):
    """The monthly amounts of one salary scale per step [BBRA bijlage A (19), bijlage B (18)]."""

    series_fields = ("scale",)

    scale = models.PositiveSmallIntegerField(_("scale"), choices=SCALE_CHOICES)
    step_0 = amount_field(_("step 0"))
    step_1 = amount_field(_("step 1"), null=True, blank=True)
    step_2 = amount_field(_("step 2"), null=True, blank=True)
    step_3 = amount_field(_("step 3"), null=True, blank=True)
    step_4 = amount_field(_("step 4"), null=True, blank=True)
    step_5 = amount_field(_("step 5"), null=True, blank=True)
    step_6 = amount_field(_("step 6"), null=True, blank=True)
    step_7 = amount_field(_("step 7"), null=True, blank=True)
    step_8 = amount_field(_("step 8"), null=True, blank=True)
    step_9 = amount_field(_("step 9"), null=True, blank=True)
    step_10 = amount_field(_("step 10"), null=True, blank=True)
    history = AppendOnlyHistory()

    class Meta:
        ordering = ["-scale", F("valid_from").desc(nulls_first=True)]
        verbose_name = _("salary scale table")
        verbose_name_plural = _("salary scale tables")
        constraints = [_period_constraint("scale_table_period")]

    def __str__(self):
        return f"{self.get_scale_display()} ({self.valid_from or '?'})"

    @property
    def amounts(self) -> list:
        """The amounts of steps 0..top step, in order."""
        values = [getattr(self, f"step_{step}") for step in range(MAX_STEPS)]
        return [value for value in values if value is not None]

    @property
    def top_step(self) -> int:
        return len(self.amounts) - 1

    def clean(self):
        values = [getattr(self, f"step_{step}") for step in range(MAX_STEPS)]
        top = max((step for step, value in enumerate(values) if value is not None), default=-1)
        if any(value is None for value in values[: top + 1]):
            raise ValidationError(_("Fill in the steps from 0 upwards without gaps."))
        amounts = [value for value in values if value is not None]
        if any(later < earlier for earlier, later in zip(amounts, amounts[1:], strict=False)):
            raise ValidationError(_("Each step must be at least the amount of the step before it."))
        super().clean()


class ExcellenceTable(DatedTable):
    """Excellence amounts, paid only at the top step of the scale [BBRA 8.2b, 9; CAO17]."""

    series_fields = ("scale",)

    scale = models.PositiveSmallIntegerField(_("scale"), choices=SCALE_CHOICES)
    excellence_1 = amount_field(_("excellence amount 1"))
    excellence_2 = amount_field(_("excellence amount 2"))
    excellence_3 = amount_field(_("excellence amount 3"))
    history = AppendOnlyHistory()

    class Meta:
        ordering = ["-scale", F("valid_from").desc(nulls_first=True)]
        verbose_name = _("excellence amounts")
        verbose_name_plural = _("excellence amounts")
        constraints = [_period_constraint("excellence_table_period")]

    def __str__(self):
        return f"{self.get_scale_display()} excellentie ({self.valid_from or '?'})"

    @property
    def amounts(self) -> list:
        return [self.excellence_1, self.excellence_2, self.excellence_3]


class AllowanceKind(models.TextChoices):
    SG = "sg", _("SG allowance (percentage of salary)")
    REPRESENTATION = "representation", _("representation allowance, TMG member (per month)")


class AllowanceRate(DatedTable):
    """The SG allowance percentage [CAO17; BBRA 22b] and the monthly representation allowance
    [ARAR 68a.3a; CAO Rijk §11.3]."""

    series_fields = ("kind",)

    kind = models.CharField(_("allowance"), max_length=20, choices=AllowanceKind.choices)
    amount = amount_field(_("amount or percentage"))
    history = AppendOnlyHistory()

    class Meta:
        ordering = ["kind", F("valid_from").desc(nulls_first=True)]
        verbose_name = _("allowance rate")
        verbose_name_plural = _("allowance rates")
        constraints = [_period_constraint("allowance_rate_period")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.valid_from or '?'})"

    @property
    def series_label(self) -> str:
        return str(self.get_kind_display())

    def clean(self):
        if self.kind == AllowanceKind.SG and self.amount is not None and self.amount > 100:
            raise ValidationError({"amount": _("A percentage is at most 100.")})
        super().clean()


class GeneralIncrease(PlausibleFieldsMixin, models.Model):
    """A general salary increase of the sector Rijk: from `valid_from` every amount of the salary
    tables rises by `percentage`, rounded to the cent, plus `fixed_amount` [CAO Rijk; for 2017-2019
    the AVO sector Rijk, which raised the amounts of BBRA bijlage A and B]. The scale tables from that
    date are derived from the tables before it (salaries.services.general_increase_apply)."""

    valid_from = models.DateField(
        _("valid from"),
        unique=True,
        error_messages={"unique": _("An increase from this date has already been recorded.")},
    )
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    fixed_amount = amount_field(_("fixed amount added after the percentage"), default=0)
    agreement = models.CharField(_("agreement"), max_length=300)
    source = models.CharField(_("source"), max_length=500)
    confidence = models.CharField(_("confidence"), max_length=20, choices=Confidence.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AppendOnlyHistory()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("general increase")
        verbose_name_plural = _("general increases")

    def __str__(self):
        return _("general increase of %(day)s") % {"day": date_format(self.valid_from, "j F Y")}

    @property
    def description(self) -> str:
        """ "3% + € 50,00", as the agreement says it."""
        percentage = f"{self.percentage.normalize():f}".replace(".", ",")
        if not self.fixed_amount:
            return f"{percentage}%"
        return f"{percentage}% + €\u00a0{self.fixed_amount:.2f}".replace(".", ",")


class WntMaximum(PlausibleFieldsMixin, models.Model):
    series_fields: tuple = ()

    """The general WNT maximum of a calendar year [WNT 2.3], set yearly by regulation."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=[MinValueValidator(2013)])
    amount = amount_field(_("general maximum"))
    source = models.CharField(_("source"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # A maximum known only from secondary sources is shown as such until ABD staff confirm it with
    # the reference of the regulation (Staatscourant) that sets it.
    confidence = models.CharField(
        _("confidence"), max_length=20, choices=Confidence.choices, default=Confidence.OFFICIAL
    )
    regulation = models.CharField(
        _("regulation"),
        max_length=200,
        blank=True,
        help_text=_("Where the regulation that sets this maximum is published, e.g. Stcrt. 2025, 27439."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AppendOnlyHistory()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("WNT maximum")
        verbose_name_plural = _("WNT maxima")

    def __str__(self):
        return f"WNT {self.year}"


class TableChange(PlausibleFieldsMixin, models.Model):
    """A table row whose period starts before the day it was saved: a retroactive change (a CAO
    raise agreed late). The back pay it causes is computed by comparing the tables as they were at
    `tables_before` (just before the change) and at `changed_at`, read from the tables' history."""

    table = models.CharField(_("table"), max_length=40)
    row_id = models.PositiveIntegerField(_("row"))
    row_label = models.CharField(_("row"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    tables_before = models.DateTimeField(_("tables as they were at"))
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    reason = models.TextField(_("reason"))
    history = AppendOnlyHistory()

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("retroactive table change")
        verbose_name_plural = _("retroactive table changes")

    def __str__(self):
        return f"{self.row_label} ({self.effective_from})"
