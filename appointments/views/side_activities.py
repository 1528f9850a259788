"""ABD screens for side activities: report, assess, publish or not [CAO17]."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from tmgportal import fragments, roles, versions
from tmgportal.forms import add_service_errors
from tmgportal.sorting import sort_queryset
from tmgportal.views import apply_filter, paginate, requires, submit_once

from .. import rules, services
from ..filters import SideActivityFilter
from ..forms import AssessForm, PublishForm, SideActivityCreateForm, UnpublishForm
from ..models import Appointment, Document, Member, SideActivity
from ..register import appointments_in_office


def _activities(user):
    today = timezone.localdate()
    # The ministry of the member's current appointment (rules.current_appointment).
    latest = Appointment.objects.current_of(OuterRef("member"), today=today)
    return (
        SideActivity.objects.for_user(user)
        .select_related("member")
        .annotate(
            member_ministry_id=Subquery(latest.values("function__ministry")[:1]),
            member_ministry=Subquery(latest.values("function__ministry__abbreviation")[:1]),
            member_in_office=Exists(appointments_in_office(today).filter(member=OuterRef("member"))),
        )
    )


def _with_register_state(activities):
    """Whether each published activity is on the public register today, and if not why: published
    is a decision, visible is that decision plus a member in office and an activity that runs today
    [rules.is_on_public_register]."""
    today = timezone.localdate()
    for activity in activities:
        activity.on_register = rules.is_on_public_register(
            assessment=activity.assessment,
            is_published=activity.publication == SideActivity.Publication.PUBLISHED,
            start=activity.start,
            end=activity.end,
            member_in_office=activity.member_in_office,
            today=today,
        )
        if activity.publication != SideActivity.Publication.PUBLISHED or activity.on_register:
            activity.not_on_register = ""
        elif not activity.member_in_office:
            activity.not_on_register = _("the member is not in a TMG function today")
        elif activity.start > today:
            activity.not_on_register = _("it has not started yet")
        else:
            activity.not_on_register = _("it has ended")
    return activities


SIDE_ACTIVITY_COLUMNS = {
    "lid": ("member__surname", "member__initials", "organisation"),
    "ministerie": ("member_ministry", "member__surname"),
    "organisatie": ("organisation", "member__surname"),
    "rol": ("role", "member__surname"),
    "sinds": ("start", "member__surname"),
    "beoordeling": ("assessment", "member__surname"),
    "publicatie": ("publication", "member__surname"),
}


def _publishable():
    return SideActivity.objects.exclude(publication=SideActivity.Publication.PUBLISHED).filter(
        assessment__in=[SideActivity.Assessment.PERMITTED, SideActivity.Assessment.PERMITTED_WITH_CONDITIONS]
    )


@require_http_methods(["GET", "POST"])
def side_activity_list(request):
    """The list with filters; ABD staff tick activities and publish them in one action. A list asked
    for is kept until the work changes (tmgportal.fragments.content); a refused filter or a form
    with errors is rendered as it is."""
    filterset, activities, status = apply_filter(SideActivityFilter, request, _activities(request.user))
    form = PublishForm(request.POST or None, queryset=_publishable())
    if request.method == "POST":
        roles.require(request.user, roles.CHANGE_FILES)
        if form.is_valid():
            try:
                published = services.side_activity_publish(
                    user=request.user,
                    activities=form.cleaned_data["activities"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s side activity published.",
                        "%(count)s side activities published.",
                        len(published),
                    )
                    % {"count": len(published)},
                )
                return redirect(request.get_full_path())
    listing = partial(_listing, request, filterset, activities, form)
    content = fragments.content(
        request,
        "side-activities",
        stamps=(versions.WORK,),
        template=LIST_CONTENT,
        context=listing,
        keep=request.method == "GET" and status == 200,
    )
    return render(request, "appointments/side_activity_list.html", {"content": content}, status=status)


LIST_CONTENT = "appointments/includes/side_activity_list.html"


def _listing(request, filterset, activities, form) -> dict:
    activities, sorting = sort_queryset(request, activities, SIDE_ACTIVITY_COLUMNS, "lid")
    page = paginate(request, activities, per_page=50)
    page.object_list = _with_register_state(list(page.object_list))
    return {
        "filter": filterset,
        "page": page,
        "sorting": sorting,
        "form": form,
        "publishable_ids": set(_publishable().values_list("pk", flat=True)),
    }


def side_activity_detail(request, pk):
    activity = get_object_or_404(_activities(request.user), pk=pk)
    return render(
        request,
        "appointments/side_activity_detail.html",
        {
            "activity": activity,
            "publishable": sorted(rules.PUBLISHABLE_ASSESSMENTS),
            "documents": Document.objects.for_user(request.user)
            .current()
            .filter(side_activity=activity)
            .select_related("uploaded_by"),
            "upload_targets": [
                ("nevenwerkzaamheid", activity.pk, _("Add a document, such as the member's report"))
            ],
        },
    )


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def side_activity_create(request, member_pk):
    member = get_object_or_404(Member.objects.for_user(request.user).active(), pk=member_pk)
    form = SideActivityCreateForm(request.POST or None, initial={"reported_on": timezone.localdate()})
    form.instance.member = member
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        token = data.pop("submission")
        data.pop("version", None)

        def create():
            activity = services.side_activity_report(user=request.user, member=member, **data)
            return reverse("appointments:side_activity_detail", args=[activity.pk])

        url, made = submit_once(request, token, create)
        if made:
            messages.success(request, _("The side activity has been recorded; it now awaits assessment."))
        else:
            messages.info(request, _("This form had already been sent; this is what it recorded."))
        return redirect(url)
    return render(request, "appointments/side_activity_form.html", {"form": form, "member": member})


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def side_activity_assess(request, pk):
    activity = get_object_or_404(_activities(request.user), pk=pk)
    form = AssessForm(
        request.POST or None,
        initial={
            "version": activity.version,
            "assessment": activity.assessment,
            "conditions": activity.conditions,
            "motivation": activity.motivation,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.side_activity_assess(
                user=request.user,
                activity=activity,
                expected_version=data["version"],
                assessment=data["assessment"],
                motivation=data["motivation"],
                conditions=data["conditions"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The assessment has been recorded."))
            return redirect("appointments:side_activity_detail", pk=activity.pk)
    return render(
        request,
        "appointments/side_activity_action.html",
        {"form": form, "activity": activity, "title": _("Assess side activity")},
    )


def _reasoned_step(request, pk, *, perform, title, done, initial_reason=""):
    """A step on one side activity that needs only a reason, checked against the version seen."""
    activity = get_object_or_404(_activities(request.user), pk=pk)
    form = UnpublishForm(
        request.POST or None, initial={"version": activity.version, "reason": initial_reason}
    )
    if request.method == "POST" and form.is_valid():
        try:
            perform(
                user=request.user,
                activity=activity,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("appointments:side_activity_detail", pk=activity.pk)
    return render(
        request,
        "appointments/side_activity_action.html",
        {"form": form, "activity": activity, "title": title(activity)},
    )


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def side_activity_unpublish(request, pk):
    return _reasoned_step(
        request,
        pk,
        perform=services.side_activity_unpublish,
        title=lambda activity: (
            _("Withdraw from the register")
            if activity.publication == SideActivity.Publication.PUBLISHED
            else _("Do not publish")
        ),
        done=_("The side activity is not on the public register."),
    )


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def side_activity_publish(request, pk):
    """Publish one assessed activity from its own page [CAO17: "in most cases" published]."""
    return _reasoned_step(
        request,
        pk,
        perform=lambda *, user, activity, expected_version, reason: services.side_activity_publish(
            user=user, activities=[activity], reason=reason, expected_versions={activity.pk: expected_version}
        ),
        title=lambda activity: _("Publish on the public register"),
        done=_("The side activity is on the public register."),
        initial_reason=_("Published on the public register [CAO17]"),
    )


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def side_activity_reopen(request, pk):
    """Undo an assessment: the activity waits for assessment again (and leaves the register)."""
    return _reasoned_step(
        request,
        pk,
        perform=services.side_activity_reopen,
        title=lambda activity: _("Reopen the assessment"),
        done=_("The assessment has been reopened; the side activity waits for assessment."),
    )
