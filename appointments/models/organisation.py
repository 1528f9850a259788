"""Ministries and the catalogue of designated TMG functions [Regeling]."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tmgportal import roles
from tmgportal.history import AppendOnlyHistory
from tmgportal.validation import PlausibleFieldsMixin

from .. import regimes


class Ministry(PlausibleFieldsMixin, models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=12, unique=True)
    history = AppendOnlyHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = _("ministry")
        verbose_name_plural = _("ministries")

    def __str__(self):
        return self.name

    @property
    def minister_title(self) -> str:
        """As the KB names the minister: "Onze Minister van Financiën"."""
        return f"Onze Minister van {self.name}"


class FunctionQuerySet(models.QuerySet):
    def for_user(self, user):
        return roles.scope_ministry_records(user, self, "ministry")


class Function(PlausibleFieldsMixin, models.Model):
    """A designated TMG function. The group belongs to the function, not to the person
    [Regeling art. 1 under a/b; BBRA 4-5]: group A is paid from scale 19, group B from scale 18."""

    class Group(models.TextChoices):
        A = "A", _("Group A (scale 19)")
        B = "B", _("Group B (scale 18)")

    title = models.CharField(_("function"), max_length=160)
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    ministry = models.ForeignKey(
        Ministry, on_delete=models.PROTECT, related_name="functions", verbose_name=_("ministry")
    )
    group = models.CharField(_("function group"), max_length=1, choices=Group.choices)
    is_sg = models.BooleanField(
        _("secretary-general function"),
        default=False,
        help_text=_("An SG function carries the 5% SG allowance [CAO17; BBRA 22b]."),
    )
    designated_from = models.DateField(_("designated from"), null=True, blank=True)
    designated_until = models.DateField(
        _("designated until"),
        null=True,
        blank=True,
        help_text=_("Exclusive: the first day the function is no longer designated."),
    )
    regime = models.CharField(
        _("term regime"),
        max_length=20,
        choices=regimes.choices,
        default=regimes.DEFAULT,
        help_text=_("The rules its dossiers run under: the TMG regime, or another (appointments.regimes)."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    # Optimistic locking: a change of ministry moves files between offices, so an edit opened
    # earlier must never silently overwrite a newer one.
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AppendOnlyHistory()
    objects = FunctionQuerySet.as_manager()

    class Meta:
        ordering = ["ministry__name", "group", "title", "organisation"]
        verbose_name = _("TMG function")
        verbose_name_plural = _("TMG functions")
        constraints = [
            models.UniqueConstraint(
                fields=["title", "organisation", "ministry", "group"],
                name="function_unique_per_ministry",
            ),
            models.CheckConstraint(
                condition=Q(designated_until__isnull=True)
                | Q(designated_from__isnull=True)
                | Q(designated_until__gt=F("designated_from")),
                name="function_designation_end_after_start",
            ),
            models.CheckConstraint(condition=Q(group__in=["A", "B"]), name="function_group_a_or_b"),
        ]

    def __str__(self):
        parts = [self.title]
        if self.organisation:
            parts.append(self.organisation)
        return f"{', '.join(parts)} ({self.ministry.abbreviation})"

    def clean(self):
        if self.designated_from and self.designated_until and self.designated_until <= self.designated_from:
            raise ValidationError(
                {"designated_until": _("The last day of the designation cannot lie before its start.")}
            )

    @property
    def scale(self) -> int:
        from salaries.rules import scale_for_group

        return scale_for_group(self.group).value
