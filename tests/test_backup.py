"""Backup and restore: a database full of generated data (the demo's members, dossiers,
pay, side activities, KB PDFs and all their history) is backed up, restored into an empty database,
and compared table by table, row by row: zero differences, every KB PDF matching its hash."""

import io
import json
import sqlite3
import stat
import uuid
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
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


def sessions_in(restored) -> int:
    if connection.vendor == "postgresql":
        with backup._pg_connect(connection.settings_dict, restored) as conn:
            return conn.execute("SELECT count(*) FROM django_session").fetchone()[0]
    with sqlite3.connect(restored) as conn:
        return conn.execute("SELECT count(*) FROM django_session").fetchone()[0]


def test_the_fingerprint_does_not_depend_on_the_order_rows_share_their_first_column():
    """History rows of one record share its id in the first column; the restore check ordered by it
    alone and reported differences that did not exist."""
    with connection.cursor() as cursor:
        for table, rows in (
            ("volgorde_a", [(1, "eerst"), (1, "later")]),
            ("volgorde_b", [(1, "later"), (1, "eerst")]),
        ):
            cursor.execute(f"CREATE TABLE {table} (id integer, wat varchar(10))")
            for row in rows:
                cursor.execute(f"INSERT INTO {table} VALUES (%s, %s)", row)
        try:
            found = backup.fingerprint(cursor, ["volgorde_a", "volgorde_b"], lambda t: t)
        finally:
            cursor.execute("DROP TABLE volgorde_a")
            cursor.execute("DROP TABLE volgorde_b")
    assert found["volgorde_a"] == found["volgorde_b"]


def test_a_backup_restores_with_zero_differences_names_any_difference_and_refuses_a_full_target(
    generated_data, empty_database, tmp_path
):
    """One load of the generated data (it takes a while) for all the promises of the restore."""
    session = SessionStore()
    session["_auth_user_id"] = "1"
    session.create()
    made = make_backup(tmp_path)
    for written in (made.path, made.manifest_path):
        assert stat.S_IMODE(written.stat().st_mode) == 0o600, written  # it holds TOTP keys
    if connection.vendor == "sqlite":
        assert session.session_key.encode() not in made.path.read_bytes()
    with pytest.raises(backup.BackupError, match="not empty"):
        restore(made, connection.settings_dict["NAME"] if connection.vendor == "postgresql" else made.path)

    assert restore(made, empty_database) == []
    assert sessions_in(empty_database) == 0  # live sessions stay out of a backup
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
