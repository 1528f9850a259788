"""Fictitious demo members. Every name is made up from the lists below; none is a real person's."""

import random
from datetime import date

from . import services
from .models import Member

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


def demo_people(count=DEMO_SIZE, seed=2026):
    rng = random.Random(seed)
    for index in range(count):
        first = rng.choice(FIRST_NAMES)
        yield {
            "surname": f"{SURNAMES[index % len(SURNAMES)]}"
            + ("" if index < len(SURNAMES) else f"-{index // len(SURNAMES) + 1}"),
            "prefix": rng.choice(PREFIXES),
            "initials": f"{first[0]}.{rng.choice('ABCDEFGHJKLMNPRSTW')}.",
            "first_name": first,
            "date_of_birth": date(rng.randint(1959, 1978), rng.randint(1, 12), rng.randint(1, 28)),
            "abd_member_since": date(rng.randint(2000, 2015), 1, 1),
            "email": f"demo{index:02d}@voorbeeld.invalid",
        }


def load_demo_members(*, user) -> int:
    created = 0
    for person in demo_people():
        if Member.objects.filter(surname=person["surname"], initials=person["initials"]).exists():
            continue
        services.member_create(user=user, reason="Demogegevens (fictief)", **person)
        created += 1
    return created
