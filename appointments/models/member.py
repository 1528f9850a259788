"""The TMG member: the person whose file this is [TMG-page]."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmgportal import roles
from tmgportal.history import AppendOnlyHistory
from tmgportal.validation import PlausibleFieldsMixin, clean_name, name_problem

NAME_FIELDS = ("surname", "prefix", "initials", "first_name")
# What the member list shows of the current appointment, annotated as current_<name>.
CURRENT_FACTS = {
    "appointment_id": "pk",
    "status": "status",
    "ministry_id": "function__ministry",
    "ministry_name": "function__ministry__name",
    "group": "function__group",
    "function": "function__title",
    "organisation": "function__organisation",
    "term_end": "term_end",
}


class MemberQuerySet(models.QuerySet):
    def with_current_appointment(self, facts=tuple(CURRENT_FACTS), *, today=None):
        """Annotate the member's current appointment (`rules.current_appointment`) as current_<fact>
        for the `facts` of CURRENT_FACTS: its ministry decides which
        office may read the file when it is held (tmgportal.roles.scope), and its facts feed the
        member list's filter and order and its export. Each fact is a subquery: ask only for the
        ones the query filters or orders by (`with_current_facts` gives a page its rows' facts)."""
        from .dossier import Appointment

        current = Appointment.objects.current_of(OuterRef("pk"), today=today)
        return self.annotate(
            **{f"current_{name}": Subquery(current.values(CURRENT_FACTS[name])[:1]) for name in facts}
        )

    def for_user(self, user):
        """The files `user` may see (tmgportal.roles.scope); the member list adds the current
        appointment's facts itself (`with_current_appointment`, `with_current_facts`)."""
        return roles.scope(user, self, member="pk")

    def active(self):
        return self.filter(archived_at__isnull=True)


def with_current_facts(members, *, today=None):
    """Set current_<fact> of CURRENT_FACTS on each of `members` (a page of the list) from their
    current appointment, chosen by `rules.current_appointment` among their dossiers read in one
    query: a page's facts without a subquery per fact and row."""
    from .. import rules
    from .dossier import Appointment

    today = today or timezone.localdate()
    dossiers: dict[int, list] = {member.pk: [] for member in members}
    for appointment in Appointment.objects.filter(
        member__in=dossiers, status__in=sorted(rules.HELD_STATES | rules.PLANNED_STATES)
    ).select_related("function__ministry"):
        dossiers[appointment.member_id].append(appointment)
    for member in members:
        current = rules.current_appointment(dossiers[member.pk], today)
        for name, path in CURRENT_FACTS.items():
            setattr(member, f"current_{name}", _follow(current, path))
    return members


def _follow(record, path: str):
    """The value at the end of an ORM path ("function__ministry__name") read from loaded objects; a
    related record gives its key, as the path's subquery does."""
    for part in path.split("__"):
        if record is None:
            return None
        record = getattr(record, part)
    return record.pk if isinstance(record, models.Model) else record


class Member(PlausibleFieldsMixin, models.Model):
    surname = models.CharField(_("surname"), max_length=120)
    prefix = models.CharField(
        _("surname prefix"),
        max_length=20,
        blank=True,
        help_text=_("Tussenvoegsel, such as 'van der'."),
    )
    initials = models.CharField(_("initials"), max_length=20)
    first_name = models.CharField(_("first name"), max_length=60, blank=True)
    date_of_birth = models.DateField(
        _("date of birth"),
        help_text=_("Needed for an extension in the interest of the service on grounds of age."),
    )
    abd_member_since = models.DateField(_("ABD member since"), null=True, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AppendOnlyHistory()
    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["surname", "initials", "pk"]
        indexes = [models.Index(fields=["surname", "initials"], name="member_by_name")]
        verbose_name = _("TMG member")
        verbose_name_plural = _("TMG members")
        constraints = [
            models.CheckConstraint(
                condition=Q(abd_member_since__isnull=True)
                | Q(abd_member_since__gt=models.F("date_of_birth")),
                name="member_abd_after_birth",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        """As Dutch official documents write it: "J.A. de Vries"."""
        return " ".join(part for part in (self.initials, self.prefix, self.surname) if part)

    @property
    def sort_name(self) -> str:
        return f"{self.surname}, {self.initials} {self.prefix}".strip()

    def clean_fields(self, exclude=None):
        for field in NAME_FIELDS:
            setattr(self, field, clean_name(getattr(self, field)))
        super().clean_fields(exclude=exclude)

    def clean(self):
        today = timezone.localdate()
        errors = {}
        for field in NAME_FIELDS:
            problem = name_problem(getattr(self, field))
            if problem:
                errors[field] = problem
        if self.date_of_birth and self.date_of_birth >= today:
            errors["date_of_birth"] = _("The date of birth must lie in the past.")
        if self.date_of_birth and self.abd_member_since and self.abd_member_since <= self.date_of_birth:
            errors["abd_member_since"] = _("ABD membership cannot start before the date of birth.")
        if errors:
            raise ValidationError(errors)
