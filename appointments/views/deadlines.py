"""The deadlines dashboard, its exports and the personal iCalendar feed."""

import unicodedata
from datetime import UTC, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from tmgportal import fragments, roles, versions
from tmgportal.exports import csv_response, xlsx_response
from tmgportal.sorting import PARAMETER, sort_rows
from tmgportal.views import apply_filter, paginate

from .. import rules, selectors, workqueue
from ..deadlines import DEADLINE_KINDS, SHORTENING_WINDOW, deadlines
from ..filters import DeadlineFilter
from ..models import Appointment, CalendarFeed
from ..selectors import deadline_appointments

KIND_LABELS = dict(DEADLINE_KINDS)


def _filtered_deadlines(request):
    filterset, appointments, status = apply_filter(
        DeadlineFilter, request, deadline_appointments(request.user)
    )
    return filterset, _deadlines(filterset, appointments, status), status


def _deadlines(filterset, appointments, status):
    """The user's deadlines under the filter, as the stored rows of `selectors.dashboard_deadlines`."""
    found = selectors.dashboard_deadlines(appointments, today=timezone.localdate())
    kind = filterset.form.cleaned_data.get("kind") if status == 200 and filterset.is_bound else None
    if kind:
        found = [row for row in found if row[0] == kind]
    return found


def _sorted(request, found):
    """Sorted by the column asked for; the names and ministries come in one query for the sort."""
    names = {}
    if request.GET.get(PARAMETER, "").removeprefix("-") in ("lid", "ministerie"):
        names = {
            pk: (surname.casefold(), ministry)
            for pk, surname, ministry in Appointment.objects.filter(
                pk__in={row[2] for row in found}
            ).values_list("pk", "member__surname", "function__ministry__abbreviation")
        }
    columns = {
        "datum": lambda row: (row[1], row[0]),
        "soort": lambda row: (str(KIND_LABELS[row[0]]), row[1]),
        "lid": lambda row: (names[row[2]][0], row[1]),
        "ministerie": lambda row: (names[row[2]][1], row[1]),
    }
    return sort_rows(request, found, columns, "datum")


def dashboard(request):
    """The start page of ABD staff; kept per filter, order and page until the work or the pay
    changes (tmgportal.fragments.content), a refused filter rendered as it is."""
    filterset, appointments, status = apply_filter(
        DeadlineFilter, request, deadline_appointments(request.user)
    )
    view = partial(_dashboard, request, filterset, appointments, status)
    content = fragments.content(
        request,
        "dashboard",
        stamps=(versions.WORK, versions.PAY),
        template=DASHBOARD,
        context=view,
        keep=status == 200,
    )
    return render(request, "appointments/dashboard.html", {"content": content}, status=status)


DASHBOARD = "appointments/includes/dashboard.html"


def _dashboard(request, filterset, appointments, status) -> dict:
    found = _deadlines(filterset, appointments, status)
    found, sorting = _sorted(request, found)
    page = paginate(request, found)
    page.object_list = selectors.deadlines_shown(page.object_list)
    return {
        "work_queue": fragments.cached(
            "work-queue",
            user=request.user,
            stamps=(versions.WORK,),
            build=partial(_work_queue, request.user),
        )
        if roles.may(request.user, roles.CHANGE_FILES)
        else "",
        "filter": filterset,
        "deadlines": page.object_list,
        "page": page,
        "sorting": sorting,
        "counts": [(key, label, sum(1 for row in found if row[0] == key)) for key, label in DEADLINE_KINDS],
        "overdue": sum(1 for row in found if row[4]),
    }


def _work_queue(user) -> str:
    """The start page's work queue, rendered once for everyone with the same scope until the work
    changes (tmgportal.fragments). What waits for the user is what the menu counts; what waits for
    others is listed apart."""
    queue = workqueue.queue(user)
    return render_to_string(
        "appointments/includes/work_queue.html",
        {
            "queue": [section for section in queue if section.actionable],
            "queue_others": [section for section in queue if not section.actionable],
            "waiting_total": sum(section.total for section in queue if section.actionable),
        },
    )


def _rows(found):
    for deadline in found:
        appointment = deadline.appointment
        yield [
            str(deadline.kind_label),
            deadline.last_day,
            _("yes") if deadline.is_overdue else _("no"),
            appointment.member.full_name,
            appointment.function.title,
            appointment.function.ministry.name,
            appointment.function.group,
            deadline.source,
        ]


# One date, the one the dashboard shows: the last day of a term or period, the day of a conversation.
HEADER = [
    "Soort",
    "Datum (bij een einde: laatste dag, t/m)",
    "Verstreken",
    "Naam",
    "Functie",
    "Ministerie",
    "Groep",
    "Bron",
]


def dashboard_export(request, fmt):
    filterset, found, status = _filtered_deadlines(request)
    if status != 200:
        return dashboard(request)
    found = selectors.deadlines_shown(_sorted(request, found)[0])
    if fmt == "xlsx":
        return xlsx_response("tmg-termijnen", HEADER, _rows(found), sheet_title="Termijnen")
    return csv_response("tmg-termijnen", HEADER, _rows(found))


@login_not_required
def calendar_feed(request, token):
    """An iCalendar (RFC 5545) feed of the user's deadlines; the secret token is the credential.
    Written by `icalendar`, which escapes, folds and formats as the RFC asks."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    if not feed.user.is_active:
        raise Http404
    found = deadlines(deadline_appointments(feed.user), today=timezone.localdate())
    stamp = datetime.now(tz=UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//ABD//tmgportal//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "TMG-termijnen")
    for deadline in found:
        summary = _text(f"{deadline.kind_label}: {deadline.member.full_name}")
        event = Event()
        event.add("uid", f"{deadline.key}@tmgportal")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.last_day)
        event.add("dtend", deadline.last_day + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", _text(f"{deadline.appointment.function} {deadline.source}"))
        event.add("url", request.build_absolute_uri(deadline.url))
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", _alarm_moment(deadline), parameters={"VALUE": "DATE-TIME"})
        event.add_component(alarm)
        calendar.add_component(event)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


ALARM_HOUR = 9


def _alarm_moment(deadline) -> datetime:
    """The alarm at the deadline's lead time (TMG_LEAD_MONTHS: the moment it comes onto the
    dashboard), 09:00 local time, in UTC as RFC 5545 3.8.6.3 asks of an absolute trigger. The window
    to ask for shortening has no lead time: its alarm is on the day it opens, the start of the
    search period [CAO17]."""
    if deadline.kind == SHORTENING_WINDOW:
        day = deadline.appointment.search_period.start
    else:
        day = rules.add_months(deadline.last_day, -settings.TMG_LEAD_MONTHS[deadline.kind])
    local = datetime.combine(day, time(ALARM_HOUR), tzinfo=timezone.get_current_timezone())
    return local.astimezone(UTC)


def _text(value) -> str:
    """Control characters left out (a line break kept): a TEXT value may not hold them [RFC 5545
    3.3.11], and a stored name or title could; icalendar escapes the rest."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in text if char == "\n" or unicodedata.category(char) != "Cc")
