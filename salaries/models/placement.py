"""A member's salary placement (inschaling) and the WNT components from the salary administration
[BBRA 6-7; CAO17; WNT 1.1]."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from appointments.models import Appointment, Member
from tmgportal import roles
from tmgportal.history import AppendOnlyHistory
from tmgportal.validation import PlausibleFieldsMixin

from .tables import EXCELLENCE_LEVELS, SCALE_CHOICES, amount_field

# A contract may exceed full time (36 hours a week in the CAO Rijk); the WNT caps the factor at 1
# [WNT 2.1.2]. The bound is the Arbeidstijdenwet's average of 48 hours a week over 16 weeks
# [ATW 5:7]: 48 / 36. A plausibility bound of this application, not a rule of pay.
MAX_PART_TIME_FACTOR = Decimal("1.333")


class PlacementKind(models.TextChoices):
    PLACEMENT = "placement", _("placement on appointment [BBRA 6]")
    INCREASE = "increase", _("yearly step increase [BBRA 7]")
    CHANGE = "change", _("other change of step")


class PlacementQuerySet(models.QuerySet):
    def for_user(self, user):
        return roles.scope(user, self, member="member")


class Placement(PlausibleFieldsMixin, models.Model):
    """From `valid_from` the member is paid from `scale`, `step` (and excellence amount
    `excellence` at the top step), until the next placement or the end of employment."""

    Kind = PlacementKind

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="placements", verbose_name=_("member")
    )
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="placements", verbose_name=_("appointment")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PlacementKind.choices)
    valid_from = models.DateField(_("valid from"))
    scale = models.PositiveSmallIntegerField(_("scale"), choices=SCALE_CHOICES)
    step = models.PositiveSmallIntegerField(_("step"))
    excellence = models.PositiveSmallIntegerField(
        _("excellence amount"),
        default=0,
        validators=[MaxValueValidator(EXCELLENCE_LEVELS)],
        help_text=_("0 = none; 1-3 only at the top step [BBRA 8.2b; CAO17]."),
    )
    part_time_factor = models.DecimalField(
        _("part-time factor"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("1.000"),
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(MAX_PART_TIME_FACTOR)],
        help_text=_(
            "Contract hours divided by full-time hours; 1 for full time. A contract above full time "
            "is paid as agreed; the WNT counts it as 1."
        ),
    )
    motivation = models.TextField(
        _("motivation"),
        blank=True,
        help_text=_("Required when a step above 0 is chosen on appointment [BBRA 6]."),
    )
    foreign_affairs_exception = models.BooleanField(
        _("Foreign Affairs exception"),
        default=False,
        help_text=_(
            "The member, on own request, takes a non-TMG function at Foreign Affairs and leaves the "
            "TMG: only then may scale 19 be lowered [CAO17]."
        ),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AppendOnlyHistory()
    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["member", "-valid_from"]
        indexes = [models.Index(fields=["member", "-valid_from"], name="placement_latest_of_member")]
        verbose_name = _("salary placement")
        verbose_name_plural = _("salary placements")
        constraints = [
            models.UniqueConstraint(fields=["member", "valid_from"], name="placement_one_per_day"),
            models.CheckConstraint(
                condition=Q(excellence__lte=EXCELLENCE_LEVELS), name="placement_excellence_levels"
            ),
            models.CheckConstraint(
                condition=Q(part_time_factor__gt=0, part_time_factor__lte=MAX_PART_TIME_FACTOR),
                name="placement_part_time_factor",
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_scale_display()}, {self.step} ({self.valid_from})"

    def clean(self):
        errors = {}
        if self.appointment_id and self.member_id and self.appointment.member_id != self.member_id:
            errors["appointment"] = _("The appointment belongs to another member.")
        if self.appointment_id and self.valid_from and self.valid_from < self.appointment.start_date:
            errors["valid_from"] = _(
                "A placement cannot start before the appointment starts (%(start)s)."
            ) % {"start": date_format(self.appointment.start_date, "j F Y")}
        if errors:
            raise ValidationError(errors)


class WntYearEntry(PlausibleFieldsMixin, models.Model):
    """The WNT components of one calendar year that the app cannot compute: they come from the salary
    administration [WNT 1.1 e-h]."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="wnt_entries", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # Each component is empty until the salary administration gives it, and 0 only when it says
    # nil: a year is complete only when all three are given [WNT 1.1 e-h; 4.1], so a disclosure never
    # publishes a pension of 0 that nobody confirmed.
    other_reward = amount_field(
        _("other reward"),
        null=True,
        blank=True,
        help_text=_(
            "Holiday allowance, end-of-year payment, bonuses and variable rewards paid in the year, from "
            "the salary administration [WNT 1.1 e]. Leave empty until it is known; enter 0 when there is none."
        ),
    )
    taxable_expense_allowances = amount_field(
        _("taxable expense allowances"),
        null=True,
        blank=True,
        help_text=_("[WNT 1.1 f] Leave empty until it is known; enter 0 when there is none."),
    )
    pension_employer_share = amount_field(
        _("employer's share of deferred pay (pension)"),
        null=True,
        blank=True,
        help_text=_("[WNT 1.1 g-h] Leave empty until it is known; enter 0 when there is none."),
    )
    excess_reason = models.TextField(
        _("reason the maximum is exceeded"), blank=True, help_text=_("Published with the WNT disclosure.")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AppendOnlyHistory()

    class Meta:
        ordering = ["member", "-year"]
        verbose_name = _("WNT year entry")
        verbose_name_plural = _("WNT year entries")
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="wnt_entry_one_per_year")]

    def __str__(self):
        return f"{self.member}: WNT {self.year}"

    AMOUNT_FIELDS = ("other_reward", "taxable_expense_allowances", "pension_employer_share")

    @property
    def not_given(self) -> list[str]:
        """The labels of the components the salary administration has not given yet."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.AMOUNT_FIELDS
            if getattr(self, name) is None
        ]
