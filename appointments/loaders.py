"""Loads the reference data of fixtures/ (ministries, TMG function catalogue) through the services,
so every row gets a history entry under the system user. Running it again changes nothing."""

import csv
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from tmgportal.history import save_tracked

from . import services
from .models import Function, Ministry

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def read_csv(name: str):
    with open(FIXTURES / name, newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def refresh_text(instance, row, *, user, fields=("source", "note"), file: str) -> None:
    """A row loaded before keeps its figures; only the wording of its source and note follows the
    fixture (they were rewritten for ABD staff), with a history entry saying so."""
    changed = [name for name in fields if getattr(instance, name) != row[name]]
    if not changed:
        return
    for name in changed:
        setattr(instance, name, row[name])
    save_tracked(
        instance, user=user, reason=_("Source and note reworded from fixtures/%(file)s") % {"file": file}
    )


def load_ministries(*, user) -> int:
    created = 0
    for row in read_csv("ministries.csv"):
        if not Ministry.objects.filter(name=row["name"]).exists():
            save_tracked(
                Ministry(name=row["name"], abbreviation=row["abbreviation"]),
                user=user,
                reason=_("Loaded from fixtures/ministries.csv"),
            )
            created += 1
    return created


def load_functions(*, user) -> int:
    ministries = {ministry.name: ministry for ministry in Ministry.objects.all()}
    created = 0
    for row in read_csv("tmg-functions.csv"):
        ministry = ministries[row["ministry"]]
        key = dict(
            title=row["title"], organisation=row["organisation"], ministry=ministry, group=row["group"]
        )
        existing = Function.objects.filter(**key).first()
        if existing:
            refresh_text(existing, row, user=user, file="tmg-functions.csv")
            continue
        services.function_create(
            user=user,
            reason=_("Loaded from fixtures/tmg-functions.csv"),
            is_sg=row["is_sg"] == "1",
            legal_basis=row["legal_basis"],
            note=row["note"],
            source=row["source"],
            **key,
        )
        created += 1
    return created
