"""Backup and restore [issue 15]: a database full of generated data (the demo's members, dossiers,
pay, side activities, KB PDFs and all their history) is backed up, restored into an empty database,
and compared table by table, row by row: zero differences, every KB PDF matching its hash."""

import io
import json
import uuid
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from appointments import services
from appointments.models import KBDocument, Ministry
from salaries.services import placement_create
from tests.factories import AppointmentFactory, FunctionFactory
from tmgportal import backup
from tmgportal.history import historical_models

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def generated_data(settings):
    settings.DEMO_MODE = True
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_demo_data", stdout=io.StringIO())
    staff = get_user_model().objects.get(username="abd")
    appointment = AppointmentFactory(
        in_function=True,
        start_date=date(2022, 1, 1),
        proposal_date=date(2021, 10, 1),
        proposal_reference="2021-0000123",
        function=FunctionFactory(ministry=Ministry.objects.first()),
    )
    placement_create(
        user=staff, member=appointment.member, appointment=appointment, valid_from=date(2022, 1, 1), step=0
    )
    services.kb_generate(user=staff, appointment=appointment, kind="appointment", amount_checked=True)
    assert KBDocument.objects.exists() and sum(m.objects.count() for m in historical_models()) > 500


@pytest.fixture
def empty_database(tmp_path):
    """An empty database of the run's engine to restore into: a new SQLite file, or a new PostgreSQL
    database on the same server."""
    if connection.vendor != "postgresql":
        yield tmp_path / "restored.sqlite3"
        return
    name = f"tmg_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def make_backup(folder):
    if connection.vendor == "postgresql":
        return backup.backup_postgres(folder / "tmg.dump")
    return backup.backup_sqlite(folder / "tmg.sqlite3")


def restore(made, target):
    if connection.vendor == "postgresql":
        return backup.restore_postgres(made, target)
    return backup.restore_sqlite(made, target)


def test_a_backup_restores_with_zero_differences_names_any_difference_and_refuses_a_full_target(
    generated_data, empty_database, tmp_path
):
    """One load of the generated data (it takes a while) for all three promises of the restore."""
    made = make_backup(tmp_path)
    with pytest.raises(backup.BackupError, match="not empty"):
        restore(made, connection.settings_dict["NAME"] if connection.vendor == "postgresql" else made.path)

    assert restore(made, empty_database) == []
    tables = made.manifest["tables"]
    assert tables["appointments_kbdocument"]["rows"] == KBDocument.objects.count()
    for model in historical_models():
        assert tables[model._meta.db_table]["rows"] == model.objects.count()

    manifest = made.manifest
    manifest["tables"]["appointments_member"]["sha256"] = "0" * 64  # as if a member changed in between
    made.manifest_path.write_text(json.dumps(manifest))
    found, _ = (
        backup.pg_fingerprint(connection.settings_dict, empty_database)
        if connection.vendor == "postgresql"
        else backup._sqlite_fingerprint(empty_database)
    )
    assert backup.differences(manifest["tables"], found) == ["appointments_member: inhoud verschilt"]
