"""Side activities (nevenwerkzaamheden) that members report, ABD assesses and, in most cases,
publishes [CAO17]."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from appointments import rules
from appointments.errors import message_for
from tmgportal import roles
from tmgportal.history import AppendOnlyHistory
from tmgportal.validation import PlausibleFieldsMixin

from .member import Member


class Assessment(models.TextChoices):
    PENDING = "pending", _("to be assessed")
    PERMITTED = rules.PERMITTED, _("permitted")
    PERMITTED_WITH_CONDITIONS = rules.PERMITTED_WITH_CONDITIONS, _("permitted with conditions")
    NOT_PERMITTED = rules.NOT_PERMITTED, _("not permitted")


class Publication(models.TextChoices):
    UNDECIDED = "undecided", _("not yet decided")
    PUBLISHED = "published", _("published")
    NOT_PUBLISHED = "not_published", _("not published")
    WITHDRAWN = "withdrawn", _("withdrawn from the register")


class SideActivityQuerySet(models.QuerySet):
    def for_user(self, user):
        return roles.scope(user, self, member="member")


class SideActivity(PlausibleFieldsMixin, models.Model):
    Assessment = Assessment
    Publication = Publication
    past_date_fields = ("reported_on",)

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="side_activities", verbose_name=_("member")
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    is_paid = models.BooleanField(_("paid"))
    hours_per_month = models.DecimalField(
        _("hours per month"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(744)],
    )
    start = models.DateField(_("since"))
    end = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Exclusive: the first day it no longer runs.")
    )
    reported_on = models.DateField(_("reported on"))
    assessment = models.CharField(
        _("assessment"), max_length=30, choices=Assessment.choices, default=Assessment.PENDING
    )
    conditions = models.TextField(_("conditions"), blank=True)
    motivation = models.TextField(_("motivation of the assessment"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    publication = models.CharField(
        _("publication"), max_length=20, choices=Publication.choices, default=Publication.UNDECIDED
    )
    publication_reason = models.TextField(
        _("reason not published"),
        blank=True,
        help_text=_("Required when the activity is not published or withdrawn."),
    )
    publication_changed_at = models.DateTimeField(_("publication changed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AppendOnlyHistory()
    objects = SideActivityQuerySet.as_manager()

    class Meta:
        ordering = ["member__surname", "-start", "pk"]
        # The list's filters and the work queue's "to assess".
        indexes = [
            models.Index(fields=["assessment"], name="side_activity_assessment"),
            models.Index(fields=["publication"], name="side_activity_publication"),
        ]
        verbose_name = _("side activity")
        verbose_name_plural = _("side activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")), name="side_activity_end_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(publication="published")
                | Q(assessment__in=sorted(rules.PUBLISHABLE_ASSESSMENTS)),
                name="side_activity_published_only_when_permitted",
            ),
            models.CheckConstraint(
                condition=~Q(publication__in=["not_published", "withdrawn"]) | ~Q(publication_reason=""),
                name="side_activity_reason_when_not_published",
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.role}, {self.organisation}"

    def clean(self):
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The last day cannot lie before the start date.")
        if self.publication == Publication.PUBLISHED:
            try:
                rules.validate_publication(assessment=self.assessment)
            except rules.RuleViolation as exc:
                errors["publication"] = message_for(exc)
        if self.publication in (Publication.NOT_PUBLISHED, Publication.WITHDRAWN):
            try:
                rules.validate_not_publishing(reason=self.publication_reason)
            except rules.RuleViolation as exc:
                errors["publication_reason"] = message_for(exc)
        if self.assessment == Assessment.PERMITTED_WITH_CONDITIONS and not self.conditions.strip():
            errors["conditions"] = _("Name the conditions.")
        if errors:
            raise ValidationError(errors)
