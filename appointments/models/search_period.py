"""The search period after the term or early termination [CAO17; TMG-page]."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from appointments import rules
from tmgportal import roles
from tmgportal.history import AppendOnlyHistory
from tmgportal.validation import PlausibleFieldsMixin

from .dossier import Appointment


class SearchPeriodOutcome(models.TextChoices):
    RUNNING = "running", _("running")
    REPLACED = "replaced", _("re-placed in a new function")
    MUTUAL_CONSENT = rules.MUTUAL_CONSENT, _("employment ended by mutual consent")
    COURT = rules.COURT, _("employment dissolved by the court")


class SearchPeriodQuerySet(models.QuerySet):
    def for_user(self, user):
        return roles.scope(user, self, member="appointment__member")


class SearchPeriod(PlausibleFieldsMixin, models.Model):
    """The search period (zoektermijn) after the term or early termination without a new function
    [CAO17; TMG-page]: at most 24 months, 18 if the member asks in the first month."""

    Outcome = SearchPeriodOutcome
    past_date_fields = ("shortening_requested_on",)

    appointment = models.OneToOneField(
        Appointment, on_delete=models.PROTECT, related_name="search_period", verbose_name=_("appointment")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), help_text=_("Exclusive, like the term end."))
    shortening_requested_on = models.DateField(_("shortening requested on"), null=True, blank=True)
    monthly_income = models.DecimalField(
        _("monthly income"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("From the salary administration; the basis of the 6 x monthly income payment."),
    )
    shortening_payment = models.DecimalField(
        _("shortening payment"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=SearchPeriodOutcome.choices, default=SearchPeriodOutcome.RUNNING
    )
    outcome_date = models.DateField(_("outcome date"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AppendOnlyHistory()
    objects = SearchPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("search period")
        verbose_name_plural = _("search periods")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="search_period_end_after_start"),
            models.CheckConstraint(
                condition=Q(outcome_date__isnull=True) | Q(outcome_date__gte=F("start")),
                name="search_period_outcome_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(shortening_payment__isnull=True) | Q(shortening_payment__gte=0),
                name="search_period_payment_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.appointment.member}: {self.start} – {self.end}"

    @property
    def dates(self) -> rules.SearchPeriodDates:
        return rules.search_period(
            self.start, shortened=self.is_shortened, regime=self.appointment.regime.figures
        )

    @property
    def is_shortened(self) -> bool:
        return self.shortening_requested_on is not None

    @property
    def is_running(self) -> bool:
        return self.outcome == SearchPeriodOutcome.RUNNING
