"""The appointment dossier: appointment by KB, extension, early termination, search period
[domain §2-§5]. Dates are computed or validated by `appointments.rules`; state changes go through
`appointments.services`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from appointments import rules
from appointments.errors import message_for
from tmgportal import roles
from tmgportal.history import AppendOnlyHistory
from tmgportal.validation import PlausibleFieldsMixin

from .member import Member
from .organisation import Function


class Status(models.TextChoices):
    CONCEPT = rules.CONCEPT, _("concept")
    PROPOSED = rules.PROPOSED, _("proposed (voordracht)")
    COUNCIL_AGREED = rules.COUNCIL_AGREED, _("council of ministers agreed")
    KB_SIGNED = rules.KB_SIGNED, _("KB signed")
    IN_FUNCTION = rules.IN_FUNCTION, _("in function")
    EXTENDED = rules.EXTENDED, _("extended")
    ENDED = rules.ENDED, _("ended")
    SEARCH_PERIOD = rules.SEARCH_PERIOD, _("search period")
    REPLACED = rules.REPLACED, _("re-placed")
    EMPLOYMENT_ENDED = rules.EMPLOYMENT_ENDED, _("employment ended")


RUNNING = sorted(rules.RUNNING_STATES)


class AppointmentQuerySet(models.QuerySet):
    def for_user(self, user):
        return roles.scope(user, self, member="member", dossier="")

    def running(self):
        return self.filter(status__in=RUNNING)


class Appointment(PlausibleFieldsMixin, models.Model):
    """Appointment (benoeming) of a member in one designated function for a term [ARAR 7.4]."""

    Status = Status
    past_date_fields = ("proposal_date", "council_date", "kb_date")

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("member")
    )
    function = models.ForeignKey(
        Function, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("function")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT)
    start_date = models.DateField(_("start date"))
    term_end = models.DateField(
        _("term end"),
        help_text=_("Exclusive: the first day after the term. The last day in function is the day before."),
    )
    start_in_function = models.DateField(
        _("start in this function"),
        help_text=_(
            "Counts for the 9-year maximum; earlier than the start date only under the 2017 transition rule."
        ),
    )
    is_transition_2017 = models.BooleanField(
        _("transition rule 2017 applied"), default=False, help_text="[ARAR 130d]"
    )
    proposal_date = models.DateField(_("date of the proposal (voordracht)"), null=True, blank=True)
    proposal_reference = models.CharField(_("proposal reference"), max_length=60, blank=True)
    council_date = models.DateField(_("council of ministers date"), null=True, blank=True)
    kb_date = models.DateField(_("KB date"), null=True, blank=True)
    kb_number = models.CharField(_("KB number"), max_length=60, blank=True)
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True, help_text=_("Exclusive, like the term end.")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AppendOnlyHistory()
    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=F("start_date")), name="appointment_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(start_in_function__lte=F("start_date")),
                name="appointment_function_start_not_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("start_date")),
                name="appointment_ended_not_before_start",
            ),
            models.UniqueConstraint(
                fields=["function"],
                condition=Q(status__in=RUNNING),
                name="appointment_one_running_per_function",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status__in=RUNNING),
                name="appointment_one_running_per_member",
            ),
        ]

    def __str__(self):
        return f"{self.member} — {self.function}"

    @property
    def end(self):
        """The actual end (exclusive): the early termination date, else the term end."""
        return self.ended_on or self.term_end

    @property
    def last_day(self):
        return rules.last_day(self.end)

    @property
    def marks(self) -> rules.TermMarks:
        return rules.term_marks(self.start_in_function)

    @property
    def is_running(self) -> bool:
        return self.status in rules.RUNNING_STATES

    def clean(self):
        errors = {}
        if self.start_date and self.term_end and self.function_id and self.start_in_function:
            try:
                self._check_term()
            except rules.RuleViolation as exc:
                errors["term_end"] = message_for(exc)
        if self.status != Status.CONCEPT and self._overlapping().exists():
            errors["start_date"] = _("This member already has an appointment in this period.")
        if errors:
            raise ValidationError(errors)

    def _check_term(self):
        if self.is_transition_2017:
            rules.validate_term_end_transition_2017(
                start_in_function=self.start_in_function,
                function_group=self.function.group,
                end=self.term_end,
            )
        elif self.status == Status.EXTENDED:
            rules.validate_total_time_in_function(start_in_function=self.start_in_function, end=self.term_end)
        else:
            rules.validate_term_end(self.start_date, self.term_end)

    def _overlapping(self):
        if not (self.member_id and self.start_date and self.term_end):
            return Appointment.objects.none()
        return (
            Appointment.objects.filter(member_id=self.member_id, start_date__lt=self.end)
            .exclude(pk=self.pk)
            .exclude(status__in=[Status.CONCEPT, Status.PROPOSED])
            .filter(Q(ended_on__isnull=True, term_end__gt=self.start_date) | Q(ended_on__gt=self.start_date))
        )


class ExtensionReason(models.TextChoices):
    # [Nadere regels 1; TMG-page]: in the interest of the service; the TMG-page names continuity
    # of the ministry's business and the official's age.
    CONTINUITY = "continuity", _("continuity of the ministry's business")
    AGE = "age", _("age of the official")
    OTHER = "other", _("other interest of the service")


class ExtensionStatus(models.TextChoices):
    PROPOSED = "proposed", _("awaiting the office's decision")
    APPROVED = "approved", _("approved by the office")
    REJECTED = "rejected", _("rejected by the office")
    KB_RECORDED = "kb_recorded", _("granted by KB")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_EXTENSION = [ExtensionStatus.PROPOSED, ExtensionStatus.APPROVED]


class ExtensionQuerySet(models.QuerySet):
    def for_user(self, user):
        return roles.scope(user, self, member="appointment__member")


class Extension(PlausibleFieldsMixin, models.Model):
    """A proposal to extend the term [Nadere regels 1], decided by the office of the ministry and
    granted by KB after the council of ministers (same procedure as an appointment)."""

    Reason = ExtensionReason
    Status = ExtensionStatus
    past_date_fields = ("council_date", "kb_date")

    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("appointment")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ExtensionReason.choices)
    motivation = models.TextField(_("motivation"))
    current_end = models.DateField(_("current term end"))
    proposed_end = models.DateField(_("proposed term end"))
    status = models.CharField(
        _("status"), max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    remarks = models.TextField(_("remarks of the office"), blank=True)
    council_date = models.DateField(_("council of ministers date"), null=True, blank=True)
    kb_date = models.DateField(_("KB date"), null=True, blank=True)
    kb_number = models.CharField(_("KB number"), max_length=60, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AppendOnlyHistory()
    objects = ExtensionQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_end__gt=F("current_end")), name="extension_after_current_end"
            ),
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(status__in=["proposed", "approved"]),
                name="extension_one_open_per_appointment",
            ),
        ]

    def __str__(self):
        return f"{self.appointment.member}: {self.current_end} → {self.proposed_end}"

    def clean(self):
        if self.appointment_id and self.current_end and self.proposed_end:
            try:
                rules.validate_extension(
                    start_in_function=self.appointment.start_in_function,
                    current_end=self.current_end,
                    proposed_end=self.proposed_end,
                )
            except rules.RuleViolation as exc:
                raise ValidationError({"proposed_end": message_for(exc)}) from exc


class Termination(PlausibleFieldsMixin, models.Model):
    """Early termination of an appointment [Nadere regels; TMG-page]; the search period then starts
    on the termination date [domain §5]."""

    appointment = models.OneToOneField(
        Appointment, on_delete=models.PROTECT, related_name="termination", verbose_name=_("appointment")
    )
    date = models.DateField(_("termination date"), help_text=_("The first day no longer in function."))
    reason = models.TextField(_("reason"))
    history = AppendOnlyHistory()

    class Meta:
        verbose_name = _("early termination")
        verbose_name_plural = _("early terminations")

    def __str__(self):
        return f"{self.appointment.member}: {self.date}"

    def clean(self):
        if self.appointment_id and self.date:
            appointment = self.appointment
            if not appointment.start_date < self.date < appointment.term_end:
                raise ValidationError(
                    {"date": _("An early termination lies after the start and before the term end.")}
                )


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
        return rules.search_period(self.start, shortened=self.is_shortened)

    @property
    def is_shortened(self) -> bool:
        return self.shortening_requested_on is not None

    @property
    def is_running(self) -> bool:
        return self.outcome == SearchPeriodOutcome.RUNNING
