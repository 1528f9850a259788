"""Every change to pay: tables, placements, yearly increases and WNT entries. One function each,
keyword arguments, the acting user first, inside a transaction, with the reason on the history row."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tmgportal.history import lock_for_update, save_tracked
from tmgportal.locks import lock, serialise

from . import rules
from .errors import message_for
from .models import Placement, TableChange, WntYearEntry
from .pay import TableSet


def _rule_error(exc: rules.RuleViolation, field: str) -> ValidationError:
    return ValidationError({field: message_for(exc)})


# -- Tables ----------------------------------------------------------------------------------------


@transaction.atomic
def table_save(
    *,
    user,
    row,
    reason: str,
    close_previous: bool = False,
    expected_version: int | None = None,
    today: date | None = None,
):
    """Create or change one row of a dated table. With `close_previous`, the open-ended row of the
    same series that is in force on the new start date ends on that date (new amounts from D).
    A row whose period starts before today is a retroactive change: it is recorded, so the back pay
    it causes can be listed. A change carries the version the user opened (a stale one is refused)."""
    today = today or timezone.localdate()
    tables_before = timezone.now() - timedelta(microseconds=1)
    model = type(row)
    # Writers of one table take turns, also when the series has no row yet to lock.
    serialise(f"table:{model._meta.label}")
    before = lock_for_update(model, pk=row.pk, expected_version=expected_version) if row.pk else None
    if before is not None:
        row.version = before.version + 1
    if model.series_fields:
        # Serialise writers of one series, so two overlapping rows cannot both pass clean().
        series = list(row.series().select_for_update().exclude(pk=row.pk))
        if close_previous and row.valid_from:
            for previous in series:
                if (
                    previous.valid_until is None
                    and previous.valid_from
                    and previous.valid_from < row.valid_from
                ):
                    previous.valid_until = row.valid_from
                    previous.version += 1
                    save_tracked(previous, user=user, reason=reason)
    save_tracked(row, user=user, reason=reason)
    effective_from = getattr(row, "valid_from", None)  # a WNT maximum changes no monthly pay
    if effective_from and effective_from < today and _changes_amounts(before, row):
        save_tracked(
            TableChange(
                table=model._meta.model_name,
                row_id=row.pk,
                row_label=str(row),
                effective_from=effective_from,
                tables_before=tables_before,
                changed_at=row.history.latest().history_date,
                changed_by=user,
                reason=reason,
            ),
            user=user,
            reason=reason,
        )
    return row


def _changes_amounts(before, after) -> bool:
    if before is None:
        return True
    fields = [f.name for f in type(after)._meta.concrete_fields if f.name not in ("id", "source", "note")]
    return any(getattr(before, name) != getattr(after, name) for name in fields)


# -- Placements ------------------------------------------------------------------------------------


def previous_placement(member, valid_from):
    """The member's placement in force the day before `valid_from`, if any."""
    return member.placements.filter(valid_from__lt=valid_from).order_by("-valid_from").first()


@transaction.atomic
def placement_create(
    *,
    user,
    member,
    appointment,
    valid_from: date,
    step: int,
    excellence: int = 0,
    part_time_factor=None,
    motivation: str = "",
    foreign_affairs_exception: bool = False,
    kind: str = Placement.Kind.PLACEMENT,
    reason: str = "",
) -> Placement:
    """Place a member on a scale and step [BBRA 6], or change the step later. The scale follows the
    function's group but scale 19 is never lowered [CAO17]; the step must exist in the table in
    force; excellence amounts only at the top step."""
    # One member's placements take turns: of two identical placements sent at once, the second
    # waits and is told the first exists.
    lock(member)
    previous = previous_placement(member, valid_from)
    scale = rules.placement_scale(
        function_group=appointment.function.group,
        previous_scale=previous.scale if previous else None,
        foreign_affairs_exception=foreign_affairs_exception,
    ).value
    tables = TableSet.current()
    try:
        table = tables.scale_table(scale, valid_from)
    except rules.NoAmountInForce as exc:
        raise _rule_error(exc, "valid_from") from exc
    try:
        rules.validate_step(step, top_step=table.top_step)
    except rules.RuleViolation as exc:
        raise _rule_error(exc, "step") from exc
    is_first_in_appointment = not member.placements.filter(appointment=appointment).exists()
    if kind == Placement.Kind.PLACEMENT and is_first_in_appointment:
        try:
            rules.validate_first_placement(step=step, motivation=motivation)
        except rules.RuleViolation as exc:
            raise _rule_error(exc, "motivation") from exc
    excellence_table = tables.excellence_table(scale, valid_from)
    try:
        rules.validate_excellence(
            step=step,
            top_step=table.top_step,
            excellence=excellence,
            levels=len(excellence_table.amounts) if excellence_table else 0,
        )
    except rules.RuleViolation as exc:
        raise _rule_error(exc, "excellence") from exc
    placement = Placement(
        member=member,
        appointment=appointment,
        kind=kind,
        valid_from=valid_from,
        scale=scale,
        step=step,
        excellence=excellence,
        part_time_factor=part_time_factor if part_time_factor is not None else _previous_factor(previous),
        motivation=motivation,
        foreign_affairs_exception=foreign_affairs_exception,
    )
    if Placement.objects.filter(member=member, valid_from=valid_from).exists():
        raise ValidationError({"valid_from": _("This member already has a placement on this date.")})
    return save_tracked(placement, user=user, reason=reason or motivation or placement.get_kind_display())


def _previous_factor(previous):
    return previous.part_time_factor if previous else Placement._meta.get_field("part_time_factor").default


def _current_placement(placement: Placement, expected_version: int) -> Placement:
    """The member's latest placement, locked; refused when the list the user saw is stale."""
    current = lock_for_update(Placement, pk=placement.pk, expected_version=expected_version)
    if current.member.placements.filter(valid_from__gt=current.valid_from).exists():
        raise ValidationError(
            _("%(member)s has a newer placement; reload the list.") % {"member": current.member}
        )
    return current


@transaction.atomic
def placement_increase(*, user, placement: Placement, expected_version: int, reason: str) -> Placement:
    """One yearly step up, a year after the last change, on good functioning [BBRA 7]. `placement` is
    the member's current placement; a new one starts on the anniversary."""
    current = _current_placement(placement, expected_version)
    return placement_create(
        user=user,
        member=current.member,
        appointment=current.appointment,
        valid_from=rules.next_increase(current.valid_from).value,
        step=current.step + 1,
        part_time_factor=current.part_time_factor,
        kind=Placement.Kind.INCREASE,
        reason=reason,
    )


@transaction.atomic
def placement_increase_all_due(
    *, user, placement: Placement, expected_version: int, reason: str, today: date
) -> list[Placement]:
    """Each yearly step due by `today`, in date order, each from its own anniversary with its own
    history row [BBRA 7]: the steps a member missed are applied in one action, not one per click.
    `placement` is the member's current placement, locked once for all of them."""
    current = _current_placement(placement, expected_version)
    try:
        top = TableSet.current().scale_table(current.scale, today).top_step
    except rules.NoAmountInForce as exc:
        raise ValidationError(message_for(exc)) from exc
    due = rules.increases_due(
        step=current.step,
        top_step=top,
        excellence=current.excellence,
        last_change=current.valid_from,
        today=today,
    )
    return [
        placement_create(
            user=user,
            member=current.member,
            appointment=current.appointment,
            valid_from=day,
            step=current.step + n,
            part_time_factor=current.part_time_factor,
            kind=Placement.Kind.INCREASE,
            reason=reason,
        )
        for n, day in enumerate(due, start=1)
    ]


# -- WNT -------------------------------------------------------------------------------------------

WNT_FIELDS = ("other_reward", "taxable_expense_allowances", "pension_employer_share", "excess_reason")


@transaction.atomic
def wnt_entry_save(
    *, user, member, year: int, expected_version: int | None, reason: str, **data
) -> WntYearEntry:
    """The salary administration's figures of one year. `expected_version` is the version the user
    opened, 0 when no entry existed then: an entry saved meanwhile by someone else (also a first one)
    is a conflict, never overwritten. None only for callers without a form (data loads)."""
    lock(member)  # two first entries of one year at once: the second sees the first
    entry = WntYearEntry.objects.filter(member=member, year=year).first()
    if entry is None:
        entry = WntYearEntry(member=member, year=year)
    else:
        entry = lock_for_update(WntYearEntry, pk=entry.pk, expected_version=expected_version)
        entry.version += 1
    for name in WNT_FIELDS:
        if name in data:
            setattr(entry, name, data[name])
    return save_tracked(entry, user=user, reason=reason)
