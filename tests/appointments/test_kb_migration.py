"""KB PDFs move from the media folder into the database (migrations 0008-0009): every file arrives
byte for byte, checked against its hash; a damaged file stops the migration."""

import hashlib
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# Migrations of data from before 2026 run on the production engine: PostgreSQL only.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.once]


BEFORE = [("appointments", "0007_kb_amount_check")]
AFTER = [("appointments", "0009_kb_pdf_file_removed")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def old_document(apps, user_id, data: bytes, sha: str):
    """A dossier and a KB as the old schema had them (its own models: today's factories would write
    columns that did not exist yet)."""
    ministry = apps.get_model("appointments", "Ministry").objects.create(
        name="Ministerie van Migratieproef", abbreviation="MGP"
    )
    function = apps.get_model("appointments", "Function").objects.create(
        title="directeur-generaal", organisation="DG Migratieproef", ministry=ministry, group="A"
    )
    member = apps.get_model("appointments", "Member").objects.create(
        surname="Migratieproef", initials="M.", date_of_birth=date(1970, 1, 1)
    )
    appointment_id = (
        apps.get_model("appointments", "Appointment")
        .objects.create(
            member=member,
            function=function,
            status="concept",
            start_date=date(2022, 1, 1),
            start_in_function=date(2022, 1, 1),
            term_end=date(2029, 1, 1),
        )
        .pk
    )
    KBDocument = apps.get_model("appointments", "KBDocument")
    document = KBDocument(
        appointment_id=appointment_id,
        kind="appointment",
        version=1,
        sha256=sha,
        dossier_state={},
        created_by_id=user_id,
        created_at=timezone.now(),
    )
    document.pdf.save(f"kb/test-{appointment_id}.pdf", ContentFile(data), save=True)
    return document.pk


def test_files_move_into_the_database_byte_for_byte(abd_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = b"%PDF-1.7 a signed KB"
    try:
        old_apps = migrate(BEFORE)
        pk = old_document(old_apps, abd_user.pk, data, hashlib.sha256(data).hexdigest())
        new_apps = migrate(AFTER)
        stored = new_apps.get_model("appointments", "KBDocument").objects.get(pk=pk)
        assert bytes(stored.content) == data
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_a_file_that_does_not_match_its_hash_stops_the_migration(abd_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    try:
        old_apps = migrate(BEFORE)
        old_document(old_apps, abd_user.pk, b"%PDF-1.7 changed on disk", "0" * 64)
        with pytest.raises(RuntimeError, match="does not match its SHA-256"):
            migrate(AFTER)
    finally:
        KB = migrate(BEFORE).get_model("appointments", "KBDocument")
        KB.objects.all().delete()
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
