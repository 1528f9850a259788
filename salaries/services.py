"""Every change to pay: tables, placements, yearly increases and WNT entries. One function each,
keyword arguments, the acting user first, inside a transaction, with the reason on the history row."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tmgportal.history import lock_for_update, save_tracked
from tmgportal.locks import lock, serialise

from . import figures, rules
from .errors import message_for
from .models import (
    ExcellenceTable,
    GeneralIncrease,
    Placement,
    ScaleTable,
    TableChange,
    TableOrigin,
    WntYearEntry,
)
from .models.tables import EXCELLENCE_LEVELS, MAX_STEPS
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
    origin: str = TableOrigin.ENTERED,
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
    if hasattr(row, "origin"):
        row.origin = origin
        if origin != TableOrigin.DERIVED:
            row.increase = None
    closed = []
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
                    # Its amounts are now overtaken from its own start: the months it paid say so.
                    closed.append(previous)
    save_tracked(row, user=user, reason=reason)
    # The stored pay follows, unless only words changed (source, note); one refresh for both rows.
    with figures.batch():
        for previous in closed:
            figures.table_row_changed(previous, changed_from=None)
        if _changes_amounts(before, row):
            figures.table_row_changed(row, changed_from=getattr(before, "valid_from", None))
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


# What a row says about its amounts rather than the amounts and their period.
NOT_AMOUNTS = frozenset({"id", "source", "note", "version", "origin", "increase", "confidence", "regulation"})


def _changes_amounts(before, after) -> bool:
    if before is None:
        return True
    fields = [f.name for f in type(after)._meta.concrete_fields if f.name not in NOT_AMOUNTS]
    return any(getattr(before, name) != getattr(after, name) for name in fields)


# -- General increases ----------------------------------------------------------------------------

# The tables a general increase raises: the scale amounts [BBRA bijlage A and B] and the excellence
# amounts (Stb. 2018, 384 raised those of scale 19 by the same 1,4% as the scales). Allowances and
# WNT maxima follow their own rules.
INCREASED_TABLES = (ScaleTable, ExcellenceTable)


def _amount_fields(model) -> list[str]:
    if model is ScaleTable:
        return [f"step_{n}" for n in range(MAX_STEPS)]
    return [f"excellence_{n}" for n in range(1, EXCELLENCE_LEVELS + 1)]


class SeriesIncrease:
    """One table raised by an increase: the row in force on the increase's date, and its amounts after."""

    def __init__(self, row, *, percentage, fixed_amount):
        self.row = row
        self.fields = [name for name in _amount_fields(type(row)) if getattr(row, name) is not None]
        self.before = {name: getattr(row, name) for name in self.fields}
        self.after = {
            name: rules.after_general_increase(value, percentage=percentage, fixed_amount=fixed_amount)
            for name, value in self.before.items()
        }

    @property
    def label(self) -> str:
        return self.row.series_label

    def lines(self):
        """(field label, before, after, difference) per amount, for the side-by-side preview."""
        for name in self.fields:
            label = type(self.row)._meta.get_field(name).verbose_name
            yield label, self.before[name], self.after[name], self.after[name] - self.before[name]

    def derived_row(self, increase):
        """The row from the increase's date on: a new row, or, when the row in force starts that very
        day (an increase with retroactive effect to a table's first day), the same row corrected."""
        if self.row.valid_from == increase.valid_from:
            row = type(self.row).objects.get(pk=self.row.pk)
        else:
            row = type(self.row)(
                scale=self.row.scale, valid_from=increase.valid_from, valid_until=self.row.valid_until
            )
        for name, value in self.after.items():
            setattr(row, name, value)
        row.origin = TableOrigin.DERIVED
        row.increase = increase
        # Stored data, read by everyone: in the portal's language, whatever the acting user reads.
        with translation.override(settings.LANGUAGE_CODE):
            row.source = _("Derived: table of %(day)s + general increase %(increase)s (%(agreement)s)") % {
                "day": date_format(self.row.valid_from, "j F Y"),
                "increase": increase.description,
                "agreement": increase.agreement,
            }
        row.source = row.source[: type(row)._meta.get_field("source").max_length]
        row.note = ""
        return row


def general_increase_plan(*, valid_from: date, percentage, fixed_amount) -> list[SeriesIncrease]:
    """What an increase from `valid_from` would change: every scale and excellence table in force on
    that day, with its amounts before and after. Refused when a table already has a row after that
    day (the increase would have to be threaded through it) or when no table is in force."""
    if GeneralIncrease.objects.filter(valid_from=valid_from).exists():
        raise ValidationError({"valid_from": _("An increase from this date has already been recorded.")})
    plan = []
    for model in INCREASED_TABLES:
        for scale in model.objects.values_list("scale", flat=True).distinct().order_by("-scale"):
            series = model.objects.filter(scale=scale).exclude(valid_from=None)
            later = series.filter(valid_from__gt=valid_from).order_by("valid_from").first()
            if later is not None and later.valid_from:
                raise ValidationError(
                    {
                        "valid_from": _(
                            "%(table)s already has a row from %(day)s, after this date: record increases "
                            "in date order."
                        )
                        % {"table": later.series_label, "day": date_format(later.valid_from, "j F Y")}
                    }
                )
            in_force = next((row for row in series if row.is_in_force(valid_from)), None)
            if in_force is not None:
                plan.append(SeriesIncrease(in_force, percentage=percentage, fixed_amount=fixed_amount))
    if not plan:
        raise ValidationError(
            {"valid_from": _("No salary table is in force on this date: nothing to increase.")}
        )
    return plan


@transaction.atomic
def general_increase_apply(
    *,
    user,
    valid_from: date,
    percentage,
    fixed_amount,
    agreement: str,
    source: str,
    confidence: str,
    reason: str,
    note: str = "",
    today: date | None = None,
) -> GeneralIncrease:
    """Record a general increase and derive every salary table from its date [CAO Rijk]: in one
    transaction the increase, the new rows (the rows before end on its date), and the stored pay and
    WNT years of every member placed on a raised scale, refreshed once at the end. A date before
    today is a retroactive change: its back pay is listed (TableChange)."""
    serialise("general-increase", f"table:{ScaleTable._meta.label}", f"table:{ExcellenceTable._meta.label}")
    plan = general_increase_plan(valid_from=valid_from, percentage=percentage, fixed_amount=fixed_amount)
    increase = save_tracked(
        GeneralIncrease(
            valid_from=valid_from,
            percentage=percentage,
            fixed_amount=fixed_amount,
            agreement=agreement,
            source=source,
            confidence=confidence,
            note=note,
        ),
        user=user,
        reason=reason,
    )
    with figures.batch():
        for change in plan:
            row = change.derived_row(increase)
            table_save(
                user=user,
                row=row,
                reason=reason,
                close_previous=row.pk is None,
                expected_version=row.version if row.pk else None,
                origin=TableOrigin.DERIVED,
                today=today,
            )
    return increase


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
    save_tracked(placement, user=user, reason=reason or motivation or placement.get_kind_display())
    figures.members_changed([member.pk], since=placement.valid_from)
    return placement


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
    save_tracked(entry, user=user, reason=reason)
    figures.refresh_years(year=year, member_id=member.pk)
    return entry
