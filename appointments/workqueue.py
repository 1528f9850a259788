"""What waits for whom: the work queue on each role's start page and its count in the
navigation. Every section is a query of the very state that its form changes, so resolving a row
removes it; each row links to that one form. The deadline sections come from the dashboard's
deadlines, computed once per change of a dossier (`selectors.dashboard_deadlines`). A section counts
in the database and loads only the rows it shows, so the navigation's count costs a few COUNTs."""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmgportal import fragments, roles, versions

from . import rules, steps
from .deadlines import CONVERSATION, SEARCH_PERIOD_END, SHORTENING_WINDOW, TERM_END
from .models import Appointment, Extension, KBDocument, PlannedStep, SideActivity
from .selectors import dashboard_deadlines, deadline_appointments, deadlines_shown

SHOWN = 10  # rows per section on the start page; the section says how many there are in all


@dataclass(frozen=True)
class Task:
    member: str
    what: str
    since: date | None
    url: str
    action: str

    @property
    def age_days(self) -> int | None:
        return (timezone.localdate() - self.since).days if self.since else None


class Section:
    def __init__(self, key, title, items, to_task, *, all_url="", actionable=True, load=None):
        self.key, self.title, self.items, self.to_task = key, title, items, to_task
        self.all_url, self.actionable, self.load = all_url, actionable, load

    @cached_property
    def total(self) -> int:
        return self.items.count() if isinstance(self.items, QuerySet) else len(self.items)

    @cached_property
    def tasks(self) -> list[Task]:
        shown = list(self.items[:SHOWN])
        return [self.to_task(item) for item in (self.load(shown) if self.load else shown)]


def _side_activities(user) -> Section:
    return Section(
        "assess",
        _("Side activities to assess"),
        SideActivity.objects.for_user(user)
        .filter(assessment=SideActivity.Assessment.PENDING)
        .select_related("member")
        .order_by("reported_on", "pk"),
        lambda a: Task(
            a.member.full_name,
            f"{a.role}, {a.organisation}",
            a.reported_on,
            reverse("appointments:side_activity_assess", args=[a.pk]),
            _("Assess"),
        ),
        all_url=reverse("appointments:side_activity_list") + "?assessment=pending",
    )


def _extensions(user, status, key, title, url_of, action, *, actionable=True) -> Section:
    return Section(
        key,
        title,
        Extension.objects.for_user(user)
        .filter(status=status)
        .select_related("appointment__member", "appointment__function__ministry")
        .order_by("proposed_at", "pk"),
        lambda e: Task(
            e.appointment.member.full_name,
            str(e.appointment.function),
            timezone.localdate(e.decided_at or e.proposed_at),
            url_of(e),
            action,
        ),
        all_url=reverse("appointments:extension_inbox"),
        actionable=actionable,
    )


def _rejected_extensions(user) -> Section:
    """An office's rejection waits for ABD: the dossier's next step (the end of the term, another
    function, a new proposal) is ABD's. It stays in the queue until the dossier moves on or a newer
    proposal is made."""
    newer = Extension.objects.filter(appointment=OuterRef("appointment"), pk__gt=OuterRef("pk"))
    return Section(
        "rejected",
        _("Extensions rejected by the office: decide the next step"),
        Extension.objects.for_user(user)
        .filter(status=Extension.Status.REJECTED, appointment__status__in=sorted(rules.IN_OFFICE_STATES))
        .exclude(Exists(newer))
        .select_related("appointment__member", "appointment__function__ministry")
        .order_by("decided_at", "pk"),
        lambda e: Task(
            e.appointment.member.full_name,
            str(e.appointment.function),
            timezone.localdate(e.decided_at),
            reverse("appointments:appointment_detail", args=[e.appointment_id]),
            _("Open the dossier"),
        ),
    )


def _planned_not_taken(user) -> Section:
    """A step planned ahead that could not be taken on its day waits for ABD with the reason."""
    return Section(
        "planned",
        _("Planned steps that could not be taken"),
        PlannedStep.objects.filter(
            state=PlannedStep.State.NOT_APPLIED, appointment__in=Appointment.objects.for_user(user)
        )
        .select_related("appointment__member", "appointment__function__ministry")
        .order_by("effective_on", "pk"),
        lambda step: Task(
            step.appointment.member.full_name,
            str(step.appointment.function),
            step.effective_on,
            reverse("appointments:appointment_detail", args=[step.appointment_id]),
            _("Open the dossier"),
        ),
    )


def _kbs_to_record(user) -> Section:
    return Section(
        "kb_record",
        _("Appointments agreed by the council, KB to record"),
        Appointment.objects.for_user(user)
        .filter(status=rules.COUNCIL_AGREED)
        .select_related("member", "function__ministry")
        .order_by("start_date", "pk"),
        _kb_task,
    )


def _kb_task(appointment) -> Task:
    """The KB step, or, when another dossier holds the seat or the member on those dates, the dossier
    page, where the overlap is named and the concept can be withdrawn: never a row with no way out."""
    blocked = steps.STEPS["kb"].why_not(appointment) is not None
    return Task(
        appointment.member.full_name,
        str(appointment.function),
        appointment.council_date,
        reverse("appointments:appointment_detail", args=[appointment.pk])
        if blocked
        else steps.url(appointment.pk, "kb"),
        _("Resolve the overlap") if blocked else _("Record the KB"),
    )


def _kbs_to_sign(user) -> Section:
    return Section(
        "kb_sign",
        _("KBs made, not yet marked signed"),
        KBDocument.objects.for_user(user)
        .filter(signed_at__isnull=True, superseded_by__isnull=True)
        .select_related("appointment__member")
        .order_by("created_at", "pk"),
        lambda d: Task(
            d.appointment.member.full_name,
            f"{d.get_kind_display()}, {_('version')} {d.version}",
            timezone.localdate(d.created_at),
            reverse("appointments:kb_sign", args=[d.pk]),
            _("Mark signed"),
        ),
    )


# The deadline sections: (kind, overdue only, title, action slug, action label).
DEADLINE_TASKS = [
    (CONVERSATION, False, _("5-year conversations due or overdue"), "gesprek", _("Record the conversation")),
    (TERM_END, True, _("Terms expired without a recorded end"), "beeindigen", _("Record the end")),
    (
        SHORTENING_WINDOW,
        False,
        _("Search periods with the request window open"),
        "zoektermijn-verkorten",
        _("Record the request"),
    ),
    (
        SEARCH_PERIOD_END,
        False,
        _("Search periods ending soon"),
        "zoektermijn-afsluiten",
        _("Record the outcome"),
    ),
]


def _deadline_sections(user, today) -> list[Section]:
    found = dashboard_deadlines(deadline_appointments(user), today=today)
    sections = []
    for kind, overdue_only, title, slug, action in DEADLINE_TASKS:
        sections.append(
            Section(
                kind,
                title,
                [row for row in found if row[0] == kind and (row[4] or not overdue_only)],
                lambda d, slug=slug, action=action: Task(
                    d.member.full_name,
                    str(d.appointment.function),
                    d.last_day,
                    steps.url(d.appointment.pk, slug),
                    action,
                ),
                all_url=reverse("appointments:dashboard") + f"?kind={kind}",
                load=deadlines_shown,
            )
        )
    return sections


def queue(user, today: date | None = None) -> list[Section]:
    """The sections of the user's work queue, by what the user may do (tmgportal.roles.ABILITIES):
    an office decides extensions, ABD staff change the files."""
    sections = []
    if roles.may(user, roles.DECIDE_EXTENSIONS):
        sections.append(
            _extensions(
                user,
                Extension.Status.PROPOSED,
                "decide",
                _("Extensions to decide"),
                lambda e: reverse("appointments:extension_decide", args=[e.pk]),
                _("Decide"),
            )
        )
    if not roles.may(user, roles.CHANGE_FILES):
        return sections
    return sections + [
        _side_activities(user),
        _extensions(
            user,
            Extension.Status.PROPOSED,
            "office",
            _("Extensions waiting for the office's decision"),
            lambda e: reverse("appointments:appointment_detail", args=[e.appointment_id]),
            _("Open the dossier"),
            actionable=False,  # the office's work, shown to ABD with its age
        ),
        _extensions(
            user,
            Extension.Status.APPROVED,
            "kb_extension",
            _("Extensions approved by the office, KB to record"),
            lambda e: steps.url(e.appointment_id, "verlenging-kb"),
            _("Record the KB"),
        ),
        _rejected_extensions(user),
        _planned_not_taken(user),
        _kbs_to_record(user),
        _kbs_to_sign(user),
        *_deadline_sections(user, today or timezone.localdate()),
    ]


def waiting(user) -> int:
    """What waits for this user: the count in the navigation, shown on every page, so kept in the
    shared cache for everyone with the same scope (the queue reads nothing else of the user) until
    the work changes (tmgportal.fragments)."""
    return fragments.cached(
        "waiting",
        user=user,
        stamps=(versions.WORK,),
        build=lambda: sum(section.total for section in queue(user) if section.actionable),
    )
