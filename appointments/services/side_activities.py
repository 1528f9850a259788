"""Side activities [CAO17]: report, assessment, publication."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tmgportal.history import EditConflict, lock_for_update, save_tracked

from .. import rules
from ..errors import message_for, rule_error
from ..models import (
    Member,
    SideActivity,
)

SIDE_ACTIVITY_FIELDS = ("organisation", "role", "is_paid", "hours_per_month", "start", "end", "reported_on")


@transaction.atomic
def side_activity_report(*, user, member: Member, reason: str = "", **data) -> SideActivity:
    """Record a side activity the member reported; it waits for ABD's assessment."""
    activity = SideActivity(member=member, **{f: data[f] for f in SIDE_ACTIVITY_FIELDS if f in data})
    return save_tracked(activity, user=user, reason=reason or _("Side activity reported"))


@transaction.atomic
def side_activity_update(
    *, user, activity: SideActivity, expected_version: int, reason: str, **data
) -> SideActivity:
    current = lock_for_update(SideActivity, pk=activity.pk, expected_version=expected_version)
    for field in SIDE_ACTIVITY_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    current.version += 1
    return save_tracked(current, user=user, reason=reason)


@transaction.atomic
def side_activity_assess(
    *,
    user,
    activity: SideActivity,
    expected_version: int,
    assessment: str,
    motivation: str,
    conditions: str = "",
) -> SideActivity:
    """ABD's assessment. An activity no longer permitted leaves the register at once."""
    current = lock_for_update(SideActivity, pk=activity.pk, expected_version=expected_version)
    current.assessment = assessment
    current.motivation = motivation
    current.conditions = conditions
    current.assessed_by = user
    current.assessed_at = timezone.now()
    if (
        current.publication == SideActivity.Publication.PUBLISHED
        and assessment not in rules.PUBLISHABLE_ASSESSMENTS
    ):
        current.publication = SideActivity.Publication.WITHDRAWN
        current.publication_reason = motivation
        current.publication_changed_at = current.assessed_at
    current.version += 1
    return save_tracked(current, user=user, reason=motivation)


@transaction.atomic
def side_activity_publish(*, user, activities, reason: str, expected_versions=None) -> list[SideActivity]:
    """Publish one or more activities; each keeps its own history row. All or none: one that may not
    be published stops the whole batch with a message that names it. `expected_versions` (pk to the
    version the user saw) refuses a publication of something changed meanwhile."""
    published = []
    locked = (
        SideActivity.objects.select_for_update().select_related("member").in_bulk([a.pk for a in activities])
    )
    for activity in activities:
        current = locked[activity.pk]
        if expected_versions and current.version != expected_versions.get(current.pk, current.version):
            raise EditConflict()
        try:
            rules.validate_publication(assessment=current.assessment)
        except rules.RuleViolation as exc:
            raise ValidationError(f"{current}: {message_for(exc)}") from exc
        current.publication = SideActivity.Publication.PUBLISHED
        current.publication_reason = ""
        current.publication_changed_at = timezone.now()
        current.version += 1
        published.append(save_tracked(current, user=user, reason=reason))
    return published


@transaction.atomic
def side_activity_unpublish(
    *, user, activity: SideActivity, expected_version: int, reason: str
) -> SideActivity:
    """Decide not to publish, or withdraw from the register; either needs a reason [CAO17]."""
    current = lock_for_update(SideActivity, pk=activity.pk, expected_version=expected_version)
    try:
        rules.validate_not_publishing(reason=reason)
    except rules.RuleViolation as exc:
        raise rule_error(exc, "reason") from exc
    was_public = current.publication == SideActivity.Publication.PUBLISHED
    current.publication = (
        SideActivity.Publication.WITHDRAWN if was_public else SideActivity.Publication.NOT_PUBLISHED
    )
    current.publication_reason = reason
    current.publication_changed_at = timezone.now()
    current.version += 1
    return save_tracked(current, user=user, reason=reason)


@transaction.atomic
def side_activity_reopen(*, user, activity: SideActivity, expected_version: int, reason: str) -> SideActivity:
    """Undo an assessment made in error: the activity waits for assessment again and, being no
    longer permitted, leaves the public register [CAO17]. The earlier assessment stays in the
    history. A decision not to publish stays: it was taken for its own reason."""
    current = lock_for_update(SideActivity, pk=activity.pk, expected_version=expected_version)
    if current.assessment == SideActivity.Assessment.PENDING:
        raise ValidationError(_("This side activity has not been assessed yet."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening the assessment.")})
    current.assessment = SideActivity.Assessment.PENDING
    current.assessed_by = None
    current.assessed_at = None
    if current.publication == SideActivity.Publication.PUBLISHED:
        current.publication = SideActivity.Publication.WITHDRAWN
        current.publication_reason = reason
        current.publication_changed_at = timezone.now()
    current.version += 1
    return save_tracked(current, user=user, reason=reason)
