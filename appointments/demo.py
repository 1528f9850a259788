"""Fictitious demo members in every state of the dossier, with dates relative to today so every
dashboard section has rows. Every name is made up from the lists below; none is a real person's."""

import io
import random
from datetime import date
from decimal import Decimal

from django.utils import timezone
from pypdf import PdfWriter

from tmgportal.history import save_tracked

from . import rules, services
from .models import Appointment, Function, Member, Ministry

SURNAMES = [
    "Abeelen",
    "Baarsma",
    "Cremers",
    "Dijkhoff",
    "Eijsbouts",
    "Fokkema",
    "Gerritsen",
    "Haverkamp",
    "IJzerman",
    "Jonkers",
    "Kloppenburg",
    "Lammerts",
    "Meulenbelt",
    "Nijboer",
    "Oosterhof",
    "Pronk",
    "Quist",
    "Rietveld",
    "Scholtens",
    "Terpstra",
    "Uiterwijk",
    "Verhagen",
    "Wesseling",
    "Yntema",
    "Zwanenburg",
    "Brinkhorst",
    "Dekkers",
    "Hoogland",
    "Kuipers",
    "Mulder",
]
PREFIXES = ["", "", "", "van", "de", "van der", "van den", "ter"]
FIRST_NAMES = [
    "Anne",
    "Bram",
    "Carla",
    "Daan",
    "Eva",
    "Floor",
    "Gijs",
    "Hanna",
    "Ivo",
    "Joke",
    "Kees",
    "Lotte",
]
DEMO_SIZE = 80
DEMO_REASON = "Demogegevens (fictief)"

# (state, months the member has been in function before today); repeated to fill 80 members.
SCENARIOS = [
    ("in_function", 14),
    ("in_function", 26),
    ("in_function", 38),
    ("in_function", 50),
    ("in_function", 57),
    ("in_function", 59),
    ("in_function", 75),
    ("in_function", 80),
    ("extension_proposed", 62),
    ("extended", 70),
    ("concept", -4),
    ("proposed", -3),
    ("council_agreed", -2),
    ("kb_signed", -1),
    ("search_period", 84),
    ("search_period", 106),
    ("employment_ended", 115),
    ("replaced", 90),
    ("in_function", 20),
    ("in_function", 44),
]


def demo_surname(index: int) -> str:
    """A made-up surname: the list's own first, then double names of two of them ("Baarsma-Cremers"),
    as Dutch families have them, so no name carries a number."""
    count = len(SURNAMES)
    if index < count:
        return SURNAMES[index]
    rest = index - count
    first = rest % count
    second = (first + 1 + (rest // count) % (count - 1)) % count
    return f"{SURNAMES[first]}-{SURNAMES[second]}"


def demo_people(count=DEMO_SIZE, seed=2026, start=0):
    """`count` fictitious people; `start` continues the numbering (the volume data follows the demo)."""
    rng = random.Random(seed + start)
    for index in range(start, start + count):
        first = rng.choice(FIRST_NAMES)
        yield {
            "surname": demo_surname(index),
            "prefix": rng.choice(PREFIXES),
            "initials": f"{first[0]}.{rng.choice('ABCDEFGHJKLMNPRSTW')}.",
            "first_name": first,
            "date_of_birth": date(rng.randint(1959, 1978), rng.randint(1, 12), rng.randint(1, 28)),
            "abd_member_since": date(rng.randint(2000, 2015), 1, 1),
            "email": f"demo{index:02d}@voorbeeld.invalid",
        }


def demo_functions(*, user):
    """The catalogue lists DG and IG functions "at any ministry" without naming the posts; the demo
    adds three clearly fictitious DG posts per ministry so there are enough functions."""
    for ministry in Ministry.objects.all():
        for number in (1, 2, 3):
            organisation = f"Demo-directoraat-generaal {number}"
            if not Function.objects.filter(ministry=ministry, organisation=organisation).exists():
                services.function_create(
                    user=user,
                    reason=DEMO_REASON,
                    title="directeur-generaal",
                    organisation=organisation,
                    ministry=ministry,
                    group="A",
                    source="Demogegevens (fictief)",
                )


def load_demo_members(*, user) -> list[Member]:
    """The members it made (none on a second run)."""
    demo_functions(user=user)
    today = timezone.localdate()
    free_functions = list(
        Function.objects.exclude(appointments__status__in=sorted(rules.RUNNING_STATES)).order_by(
            "ministry__name", "pk"
        )
    )
    created = []
    for index, person in enumerate(demo_people()):
        if Member.objects.filter(surname=person["surname"], initials=person["initials"]).exists():
            continue
        member = services.member_create(user=user, reason=DEMO_REASON, **person)
        state, months = SCENARIOS[index % len(SCENARIOS)]
        function = free_functions.pop(0) if free_functions else None
        if function:
            walk_career(
                user=user,
                member=member,
                function=function,
                state=state,
                start=rules.add_months(today, -months),
                today=today,
            )
        created.append(member)
    return created


def walk_career(*, user, member, function, state, start, today) -> Appointment:
    """Walk one dossier through the services up to `state`; the appointment as it then stands."""
    step = {"user": user, "reason": DEMO_REASON}
    a = services.appointment_create(member=member, function=function, start_date=start, **step)
    if state == "concept":
        return a
    a = services.appointment_propose(
        appointment=a,
        proposal_date=rules.add_months(start, -3),
        proposal_reference=f"VD-DEMO-{a.pk:04d}",
        **step,
    )
    if state == "proposed":
        return a
    a = services.appointment_record_council(appointment=a, council_date=rules.add_months(start, -2), **step)
    if state == "council_agreed":
        return a
    a = services.appointment_record_kb(
        appointment=a, kb_date=rules.add_months(start, -1), kb_number=f"KB-DEMO-{a.pk:04d}", **step
    )
    if state == "kb_signed":
        return a
    a = services.appointment_take_office(
        appointment=a, late_motivation="Dossier achteraf ingevoerd (demo).", **step
    )
    if state in ("extension_proposed", "extended"):
        extension = services.extension_propose(
            appointment=a,
            reason_code="continuity",
            motivation="Continuïteit van de bedrijfsvoering (demo).",
            proposed_end=rules.add_years(a.term_end, 2),
            **step,
        )
        if state == "extended":
            services.extension_record_kb(
                extension=_approved(extension, user),
                council_date=today,
                kb_date=today,
                kb_number=f"KB-DEMO-V{a.pk:04d}",
                **step,
            )
        return a
    if state in ("search_period", "employment_ended", "replaced"):
        a = services.appointment_end(appointment=a, **step)
        if state == "replaced":
            return services.appointment_replace(appointment=a, **step)
        period = services.search_period_start(appointment=a, **step)
        if state == "employment_ended":
            services.search_period_shorten(
                search_period=period, requested_on=period.start, monthly_income=Decimal("9848.75"), **step
            )
            period.refresh_from_db()
            services.search_period_close(
                search_period=period, outcome="mutual_consent", on=period.end, **step
            )
    return a


def _approved(extension, user):
    """Demo shortcut for the office's approval, recorded in history like a real decision."""
    extension.status = extension.Status.APPROVED
    extension.decided_by = user
    extension.decided_at = timezone.now()
    extension.remarks = "Akkoord (demo)"
    return save_tracked(
        extension, user=user, reason="Verlenging goedgekeurd door bewindspersoonbureau (demo)"
    )


# Fictitious organisations for demo side activities; none is meant to be a real body.
DEMO_ORGANISATIONS = [
    ("Stichting Demomuseum Oostland", "lid raad van toezicht"),
    ("Vereniging Voorbeeldkoor", "voorzitter"),
    ("Fictieve Hogeschool Westerkwartier", "gastdocent"),
    ("Stichting Proefpark", "penningmeester"),
    ("Denktank Demo 2030", "lid adviesraad"),
]


def load_demo_side_activities(*, user, members) -> int:
    """Side activities for a share of these (new) members, in every assessment and publication state."""
    today = timezone.localdate()
    created = 0
    for index, member in enumerate(members):
        if index % 5 not in (0, 2):
            continue
        organisation, role = DEMO_ORGANISATIONS[index % len(DEMO_ORGANISATIONS)]
        activity = services.side_activity_report(
            user=user,
            member=member,
            organisation=organisation,
            role=role,
            is_paid=index % 3 == 0,
            hours_per_month=Decimal(4 + index % 6),
            start=rules.add_months(today, -(6 + index)),
            reported_on=rules.add_months(today, -(6 + index)),
            reason=DEMO_REASON,
        )
        created += 1
        state = index % 4
        if state == 3:
            continue  # awaiting assessment
        permitted = index % 7 != 0
        activity = services.side_activity_assess(
            user=user,
            activity=activity,
            expected_version=activity.version,
            assessment="permitted" if permitted else "not_permitted",
            motivation="Geen strijdigheid met de functie (demo)."
            if permitted
            else "Raakt de belangen van het ministerie (demo).",
        )
        if not permitted:
            continue
        if state == 2:
            services.side_activity_unpublish(
                user=user,
                activity=activity,
                expected_version=activity.version,
                reason="Veiligheidsrisico voor het lid (demo).",
            )
        else:
            services.side_activity_publish(user=user, activities=[activity], reason=DEMO_REASON)
    return created


def demo_letter(title: str) -> bytes:
    """A one-page PDF standing in for a scanned letter of the demo (a real scan is a photograph)."""
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    writer.write(buffer)
    return buffer.getvalue()


def load_demo_documents(*, user, members) -> int:
    """Made KBs and documents to look at: for the first few of these members in function with a
    placement, the appointment KB (one of them marked signed, with its scan) and a voordracht letter."""
    from salaries.models import Placement

    made = 0
    placed = Placement.objects.filter(member__in=members).values_list("appointment_id", flat=True)
    dossiers = Appointment.objects.filter(pk__in=placed, status=rules.IN_FUNCTION, kb_number__gt="").order_by(
        "pk"
    )
    for number, appointment in enumerate(dossiers[:3]):
        document = services.kb_generate(
            user=user, appointment=appointment, kind="appointment", amount_checked=True
        )
        services.document_upload(
            user=user,
            member=appointment.member,
            appointment=appointment,
            kind="voordracht",
            title="Voordrachtsbrief (demo)",
            content=demo_letter("Voordrachtsbrief (demo)"),
            original_name="voordracht-demo.pdf",
            reason=DEMO_REASON,
        )
        made += 2
        if number == 0:
            services.kb_mark_signed(
                user=user,
                document=document,
                reason=DEMO_REASON,
                scan=demo_letter("Ondertekend KB (demo)"),
                scan_name="kb-getekend-demo.pdf",
            )
            made += 1
    return made
