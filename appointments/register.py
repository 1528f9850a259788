"""The public register of side activities [CAO17]: what an anonymous visitor may read, built in
one place so the page, the JSON, the CSV and the Atom feed can never show more than each other.

Per current TMG member (holding a TMG function today, file not archived): name, function, ministry;
per published, permitted activity that runs today: organisation, role, paid or unpaid, since. Nothing
else leaves this module. The result is cached; any save of a side activity, member, appointment or
function clears the cache once the transaction commits."""

import unicodedata
import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from . import rules
from .models import Appointment, Function, Member, SideActivity

# v2: members carry their index letter; a register cached by the earlier release is not read.
CACHE_KEY = "public-register:v2:{today}"
CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class PublicActivity:
    organisation: str
    role: str
    paid: bool
    since: date


@dataclass(frozen=True)
class PublicMember:
    name: str
    function: str
    organisation: str
    ministry: str
    ministry_abbreviation: str
    activities: tuple
    # The letter of the register's A-Z index: the surname's, without its prefix ("van der Berg"
    # under B, as Dutch registers sort) and without accents ("Ölmez" under O). Not published as data.
    letter: str = ""


@dataclass(frozen=True)
class Register:
    members: tuple
    last_changed: datetime | None
    generated: datetime

    def as_json(self) -> dict:
        return {
            "register": "Nevenwerkzaamheden leden Topmanagementgroep",
            "publisher": "Algemene Bestuursdienst",
            "last_changed": self.last_changed.isoformat() if self.last_changed else None,
            "generated": self.generated.isoformat(),
            "members": [
                {
                    **{key: value for key, value in asdict(m).items() if key != "letter"},
                    "activities": [{**asdict(a), "since": a.since.isoformat()} for a in m.activities],
                }
                for m in self.members
            ],
        }


def index_letter(surname: str) -> str:
    first = unicodedata.normalize("NFKD", surname.strip()[:1]).encode("ascii", "ignore").decode().upper()
    return first if first.isalpha() else "#"


def appointments_in_office(today: date):
    """The appointments whose members are on the register today: holding a TMG function today, file
    not archived [CAO17]."""
    return Appointment.objects.filter(
        status__in=sorted(rules.IN_OFFICE_STATES), start_date__lte=today, member__archived_at__isnull=True
    ).filter(Q(ended_on__isnull=True, term_end__gt=today) | Q(ended_on__gt=today))


def _build(today: date) -> Register:
    in_office = appointments_in_office(today)
    appointments = in_office.select_related("member", "function__ministry").order_by(
        "member__surname", "member__initials", "member__pk"
    )
    activities = {}
    for activity in SideActivity.objects.filter(
        member__in=in_office.values("member"), publication=SideActivity.Publication.PUBLISHED
    ).order_by("start", "organisation"):
        if rules.is_on_public_register(
            assessment=activity.assessment,
            is_published=True,
            start=activity.start,
            end=activity.end,
            member_in_office=True,
            today=today,
        ):
            activities.setdefault(activity.member_id, []).append(
                PublicActivity(
                    organisation=activity.organisation,
                    role=activity.role,
                    paid=activity.is_paid,
                    since=activity.start,
                )
            )
    members = tuple(
        PublicMember(
            name=a.member.full_name,
            function=a.function.title,
            organisation=a.function.organisation,
            ministry=a.function.ministry.name,
            ministry_abbreviation=a.function.ministry.abbreviation,
            activities=tuple(activities.get(a.member_id, ())),
            letter=index_letter(a.member.surname),
        )
        for a in appointments
    )
    last_changed = SideActivity.objects.aggregate(last=Max("publication_changed_at"))["last"]
    return Register(members=members, last_changed=last_changed, generated=timezone.now())


def public_register(today: date | None = None) -> Register:
    today = today or timezone.localdate()
    key = CACHE_KEY.format(today=today.isoformat())
    register = cache.get(key)
    if register is None:
        register = _build(today)
        cache.set(key, register, CACHE_SECONDS)
    return register


VERSION_KEY = "public-register:version"


def version() -> str:
    """Changes whenever the register may have changed: part of every whole-page cache key."""
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, None)


def clear_cache() -> None:
    cache.delete(CACHE_KEY.format(today=timezone.localdate().isoformat()))
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


@receiver(post_save, sender=SideActivity)
@receiver(post_save, sender=Member)
@receiver(post_save, sender=Appointment)
@receiver(post_save, sender=Function)
def _register_changed(sender, **kwargs):
    # Now, so this request sees its own change, and again after commit, in case another request
    # cached the old register while this transaction was still open.
    clear_cache()
    transaction.on_commit(clear_cache)


def feed_entries(limit: int = 50):
    """Changes of the register for the Atom feed: publications of activities that are on the
    register today, and withdrawals without naming the activity (it is no longer public)."""
    register = public_register()
    public = {(m.name, a.organisation, a.role, a.since) for m in register.members for a in m.activities}
    changes = (
        SideActivity.history.filter(publication_changed_at__isnull=False)
        .exclude(history_type="-")
        .order_by("-publication_changed_at")
        .values("id", "publication", "publication_changed_at", "organisation", "role", "start", "member_id")
    )
    seen, entries = set(), []
    names = {}
    for change in changes:
        key = (change["id"], change["publication_changed_at"])
        if key in seen:
            continue
        seen.add(key)
        if change["publication"] == SideActivity.Publication.PUBLISHED:
            if change["member_id"] not in names:
                member = Member.objects.filter(pk=change["member_id"]).first()
                names[change["member_id"]] = member.full_name if member else ""
            name = names[change["member_id"]]
            if (name, change["organisation"], change["role"], change["start"]) not in public:
                continue
            entries.append(
                {
                    "kind": "published",
                    "when": change["publication_changed_at"],
                    "name": name,
                    "organisation": change["organisation"],
                    "role": change["role"],
                    "id": change["id"],
                }
            )
        elif change["publication"] == SideActivity.Publication.WITHDRAWN:
            entries.append(
                {"kind": "withdrawn", "when": change["publication_changed_at"], "id": change["id"]}
            )
        if len(entries) >= limit:
            break
    return entries
