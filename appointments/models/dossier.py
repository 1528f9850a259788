"""The appointment dossier: appointment by KB and early termination [TMG-page; ARAR 7.4; CAO17; ARAR 130d]; its extensions
and search period have their own modules. Dates are computed or validated by `appointments.rules`; state changes go through
`appointments.services`."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments import regimes, rules
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
    WITHDRAWN = rules.WITHDRAWN, _("withdrawn")


RUNNING = sorted(rules.RUNNING_STATES)
HELD = sorted(rules.HELD_STATES)
PLANNED = sorted(rules.PLANNED_STATES)


class AppointmentQuerySet(models.QuerySet):
    def for_user(self, user):
        return roles.scope(user, self, member="member", dossier="")

    def current_of(self, member, *, today=None):
        """`rules.current_appointment` in SQL, for a subquery per member (`member` an OuterRef or a
        pk): the first row is the member's current appointment. Held ones come before planned ones;
        of those, started ones (latest first) before ones still to come (earliest first)."""
        today = today or timezone.localdate()
        started = Q(start_date__lte=today)
        rank = Case(
            When(started & Q(status__in=HELD), then=Value(0)),
            When(status__in=HELD, then=Value(1)),
            When(started, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        return (
            self.filter(member=member, status__in=HELD + PLANNED)
            .annotate(current_rank=rank)
            .order_by(
                "current_rank",
                Case(When(started, then=F("start_date"))).desc(nulls_last=True),
                Case(When(started, then=F("pk"))).desc(nulls_last=True),
                Case(When(~started, then=F("start_date"))).asc(nulls_last=True),
                Case(When(~started, then=F("pk"))).asc(nulls_last=True),
            )
        )

    def running(self):
        return self.filter(status__in=RUNNING)


class Appointment(PlausibleFieldsMixin, models.Model):
    """Appointment (benoeming) of a member in one designated function for a term [ARAR 7.4]."""

    Status = Status
    past_date_fields = ("proposal_date", "council_date", "kb_date", "ending_proposal_date", "ending_kb_date")

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
    # The KB of the ending (ontslag uit de functie, start of the search period) [Circulaire model-KB 1999].
    ending_proposal_date = models.DateField(_("date of the proposal for the ending"), null=True, blank=True)
    ending_proposal_reference = models.CharField(
        _("reference of the proposal for the ending"), max_length=60, blank=True
    )
    ending_kb_date = models.DateField(_("date of the KB of the ending"), null=True, blank=True)
    ending_kb_number = models.CharField(_("number of the KB of the ending"), max_length=60, blank=True)
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True, help_text=_("Exclusive, like the term end.")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AppendOnlyHistory()
    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        # The current appointment of a member (every scoped list) and the deadlines' first cut.
        indexes = [
            models.Index(fields=["member", "-start_date"], name="appointment_latest_of_member"),
            models.Index(fields=["status", "term_end"], name="appointment_status_term_end"),
        ]
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
            # One holder per function and one function per member on any day: PostgreSQL holds it
            # as exclusion constraints on the held date ranges (migration 0005); on SQLite
            # Appointment.clean checks it while the service holds the function's and member's rows.
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
    def regime(self):
        """The term regime of the function's catalogue entry (appointments.regimes; TMG by default)."""
        return regimes.get(self.function.regime)

    @property
    def marks(self) -> rules.TermMarks:
        return rules.term_marks(self.start_in_function, regime=self.regime.figures)

    def renewals_so_far(self) -> int:
        """The extensions granted by KB (read from a prefetch when there is one)."""
        return rules.renewals_so_far(extension.status for extension in self.extensions.all())

    @property
    def is_running(self) -> bool:
        return self.status in rules.RUNNING_STATES

    @property
    def term_has_passed(self) -> bool:
        return rules.term_has_passed(status=self.status, end=self.end, today=timezone.localdate())

    @property
    def period(self) -> rules.Period:
        return rules.Period(self.start_date, self.end, ref=self.pk)

    def held_alongside(self) -> tuple[list[rules.Period], list[rules.Period]]:
        """The other held appointments (KB signed onwards) of the same function, labelled with
        their holder, and of the same member, labelled with their function."""
        others = (
            Appointment.objects.filter(status__in=HELD)
            .filter(Q(function_id=self.function_id) | Q(member_id=self.member_id))
            .exclude(pk=self.pk)
            .select_related("member", "function")
        )
        function_held, member_held = [], []
        for other in others:
            if other.function_id == self.function_id:
                function_held.append(
                    rules.Period(other.start_date, other.end, other.member.full_name, other.pk)
                )
            if other.member_id == self.member_id:
                member_held.append(rules.Period(other.start_date, other.end, other.function.title, other.pk))
        return function_held, member_held

    def occupancy_conflict(self) -> rules.Occupied | None:
        """Why this appointment cannot be held as dated, or None [ARAR 7.4]."""
        if not (self.function_id and self.member_id and self.start_date and self.term_end):
            return None
        function_held, member_held = self.held_alongside()
        try:
            rules.validate_not_occupied(self.period, function_held=function_held, member_held=member_held)
        except rules.Occupied as exc:
            return exc
        return None

    def clean(self):
        errors = {}
        if self.start_date and self.term_end and self.function_id and self.start_in_function:
            try:
                self._check_term()
            except rules.RuleViolation as exc:
                errors["term_end"] = message_for(exc)
        if self.status in rules.HELD_STATES:
            conflict = self.occupancy_conflict()
            if conflict:
                errors["start_date"] = message_for(conflict)
        if errors:
            raise ValidationError(errors)

    def _check_term(self):
        if self.is_transition_2017:
            rules.validate_term_end_transition_2017(
                start_in_function=self.start_in_function,
                function_group=self.function.group,
                end=self.term_end,
            )
        elif self.status == Status.EXTENDED or (self.pk and self.renewals_so_far()):
            # Extended by KB: also after it ends the term may run to 9 years [Nadere regels 1].
            rules.validate_total_time_in_function(
                start_in_function=self.start_in_function, end=self.term_end, regime=self.regime.figures
            )
        else:
            rules.validate_term_end(self.start_date, self.term_end, regime=self.regime.figures)


class Termination(PlausibleFieldsMixin, models.Model):
    """Early termination of an appointment [Nadere regels; TMG-page]; the search period then starts
    on the termination date [TMG-page; CAO17]."""

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
