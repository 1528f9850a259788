"""Volume data: N fictitious members with careers over Y years, for the benchmark and the
tests that prove a page costs the same at 80 members or 6,000.

A hundred prototype careers are walked through the services, so their rows and their history are
exactly what the services write: appointments in every state, extensions, search periods, conversations,
placements with their yearly steps, side activities and the stored pay. The other members are copies
of those prototypes, each with its own fictitious person and its own fictitious functions (one holder
per function), written in bulk together with their history rows (same reasons, same authors, same
order). Walking 6,000 careers through the services one validated save at a time would take hours; a
copy takes a few milliseconds and cannot differ from what the services wrote. KB numbers and dates are
copied; KB PDFs are not made for the copies (each PDF names its member, and a PDF is made when a user
asks for one)."""

import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from appointments import register, rules, services
from appointments.demo import DEMO_REASON, demo_people, load_demo_side_activities, walk_career
from appointments.models import (
    Appointment,
    Conversation,
    Extension,
    Function,
    Member,
    Ministry,
    SearchPeriod,
    SideActivity,
    Termination,
)
from salaries import figures
from salaries import services as salaries_services
from salaries.demo import load_demo_placements
from salaries.models import PayMonth, PayYear, Placement, WntYearEntry
from tmgportal.history import copying_with_history, historical_models, is_tracked

PROTOTYPES = 100
CHUNK = 200  # copies written per round: bounds the memory, not the result

# (state, months in function before today); months are drawn from the range and capped at the years asked.
CAREERS = [
    # Voordracht 3, council 2 and KB 1 month before the start (`walk_career`), none of them in the future.
    ("concept", (-6, -1)),
    ("proposed", (-3, -1)),
    ("council_agreed", (-2, -1)),
    ("kb_signed", (-1, -1)),
    ("in_function", (1, 59)),
    ("in_function", (1, 59)),
    ("in_function", (1, 59)),
    ("in_function", (60, 83)),
    ("conversation", (60, 78)),
    ("extension_proposed", (61, 70)),
    ("extended", (66, 80)),
    ("search_period", (84, 106)),
    ("employment_ended", (110, 130)),
    ("second_function", (86, 130)),
]
# Member tables copied with their history, in the order their foreign keys need.
COPIED = [
    Function,
    Member,
    Appointment,
    Termination,
    Extension,
    SearchPeriod,
    Conversation,
    Placement,
    WntYearEntry,
    SideActivity,
    PayMonth,
    PayYear,
]


def load_volume(*, members: int, years: int, user, seed: int = 2026, prototypes: int = PROTOTYPES) -> dict:
    """Add fictitious members until there are `members`; returns what was made."""
    rng = random.Random(seed)
    today = timezone.localdate()
    have = Member.objects.count()
    wanted = max(members - have, 0)
    made = {"members": 0, "prototypes": 0, "copies": 0}
    if not wanted:
        return made
    with transaction.atomic():
        with figures.batch():
            prototypes = _prototypes(
                min(wanted, prototypes), start=have, years=years, today=today, rng=rng, user=user
            )
            load_demo_placements(user=user, members=prototypes)
            load_demo_side_activities(user=user, members=prototypes)
            _wnt_entries(prototypes, today=today, user=user)
        copies = wanted - len(prototypes)
        with copying_with_history():
            _copy_members(prototypes, copies, first_index=have + len(prototypes))
        register.clear_cache()
    made.update(members=wanted, prototypes=len(prototypes), copies=copies)
    return made


def _function_numbers():
    """Numbers for the organisations of new volume functions, unused so far (one holder per function)."""
    return iter(range(Function.objects.count() + 1, 10**9))


def _organisation(number: int) -> str:
    return f"Volume-directoraat-generaal {number}"


def _volume_function(number: int, ministries: list[Ministry], *, user) -> Function:
    group = "B" if number % 10 == 9 else "A"
    return services.function_create(
        user=user,
        reason=DEMO_REASON,
        title="directeur-generaal",
        organisation=_organisation(number),
        ministry=ministries[number % len(ministries)],
        group=group,
        source="Demogegevens (fictief)",
    )


def _prototypes(count, *, start, years, today, rng, user) -> list[Member]:
    ministries = list(Ministry.objects.order_by("pk"))
    numbers = _function_numbers()
    made = []
    for index, person in enumerate(demo_people(count, start=start)):
        member = services.member_create(user=user, reason=DEMO_REASON, **person)
        state, (low, high) = CAREERS[index % len(CAREERS)]
        months = min(rng.randint(low, high), 12 * years)
        function = _volume_function(next(numbers), ministries, user=user)
        start_date = rules.add_months(today, -months)
        if state == "second_function":
            # A term run out, then re-placed in another function from its end [TMG-page].
            first = walk_career(
                user=user, member=member, function=function, state="replaced", start=start_date, today=today
            )
            second = _volume_function(next(numbers), ministries, user=user)
            walk_career(
                user=user, member=member, function=second, state="in_function", start=first.end, today=today
            )
        elif state == "conversation":
            appointment = walk_career(
                user=user,
                member=member,
                function=function,
                state="in_function",
                start=start_date,
                today=today,
            )
            services.conversation_record(
                user=user,
                appointment=appointment,
                held_on=rules.add_months(start_date, 60),
                outcome="do_not_extend" if index % 2 else "extend",
                reason=DEMO_REASON,
            )
        else:
            walk_career(
                user=user, member=member, function=function, state=state, start=start_date, today=today
            )
        made.append(member)
    return made


def _wnt_entries(members, *, today, user) -> None:
    """Last year's components from the salary administration for the paid prototypes [WNT 1.1 e-h]."""
    year = today.year - 1
    for index, member in enumerate(
        Member.objects.filter(pk__in=[m.pk for m in members], placements__isnull=False).distinct()
    ):
        salaries_services.wnt_entry_save(
            user=user,
            member=member,
            year=year,
            expected_version=None,
            reason=DEMO_REASON,
            other_reward=Decimal(18000 + 250 * (index % 9)),
            taxable_expense_allowances=Decimal("0.00"),
            pension_employer_share=Decimal(21000 + 300 * (index % 7)),
        )


# -- Copies ------------------------------------------------------------------------------------------------


def _copy_members(prototypes: list[Member], count: int, *, first_index: int) -> None:
    source = _Source([m.pk for m in prototypes])
    numbers = _function_numbers()
    plan = [
        (prototypes[i % len(prototypes)].pk, person)
        for i, person in enumerate(demo_people(count, start=first_index))
    ]
    for first in range(0, len(plan), CHUNK):
        chunk = plan[first : first + CHUNK]
        maps = [defaultdict(dict) for _ in chunk]  # per copy: model → {prototype pk: copy pk}
        for model in COPIED:
            _copy_rows(model, source, chunk, maps, numbers)


class _Source:
    """The prototypes' rows and history rows, read once, each under the prototype member it belongs to."""

    def __init__(self, member_ids):
        appointments = Appointment.objects.filter(member__in=member_ids)
        self.holder = dict(appointments.values_list("function_id", "member_id"))
        self.appointment_member = dict(appointments.values_list("pk", "member_id"))
        self.rows, self.history = {}, {}
        for model in COPIED:
            rows = model.objects.filter(**{f"{self._path(model)}__in": member_ids}).order_by("pk")
            self.rows[model] = self._by_member(model, rows, key="pk")
            if is_tracked(model):
                history = model.history.filter(id__in=rows.values("pk")).order_by("history_id")
                self.history[model] = self._by_member(model, history, key="id")

    @staticmethod
    def _path(model) -> str:
        if model is Member:
            return "pk"
        if model is Function:
            return "appointments__member"
        return "member" if hasattr(model, "member") else "appointment__member"

    def _by_member(self, model, rows, *, key) -> dict[int, list]:
        found = defaultdict(list)
        for row in rows.distinct() if model is Function else rows:
            if model is Member:
                member = getattr(row, key)
            elif model is Function:
                member = self.holder[getattr(row, key)]
            elif hasattr(row, "member_id"):
                member = row.member_id
            else:
                member = self.appointment_member[row.appointment_id]
            found[member].append(row)
        return found


def _copy_rows(model, source, chunk, maps, numbers) -> None:
    """Copy the prototypes' rows of `model` for every copy in the chunk, then their history rows."""
    made, keys, own = [], [], {}
    for copy_no, (prototype, person) in enumerate(chunk):
        for row in source.rows[model][prototype]:
            # The copy's own person and functions; everything else as the prototype has it.
            own[copy_no, row.pk] = (
                person
                if model is Member
                else {"organisation": _organisation(next(numbers))}
                if model is Function
                else {}
            )
            made.append(_remapped(row, maps[copy_no], own[copy_no, row.pk]))
            keys.append((copy_no, row.pk))
    for (copy_no, old), new in zip(keys, model.objects.bulk_create(made, batch_size=500), strict=True):
        maps[copy_no][model][old] = new.pk
    if model in source.history:
        model.history.model.objects.bulk_create(
            [
                _remapped(row, maps[copy_no], {**own[copy_no, row.id], "id": maps[copy_no][model][row.id]})
                for copy_no, (prototype, _person) in enumerate(chunk)
                for row in source.history[model][prototype]
            ],
            batch_size=500,
        )


def _remapped(row, maps, overrides):
    """A copy of `row` whose foreign keys point at the copy's own rows."""
    values = {}
    for field in row._meta.concrete_fields:
        if field.primary_key:
            continue
        value = getattr(row, field.attname)
        if field.is_relation and field.related_model in maps and value is not None:
            value = maps[field.related_model][value]
        values[field.attname] = value
    values.update(overrides)
    return type(row)(**values)


def history_rows() -> int:
    return sum(model.objects.count() for model in historical_models())
