"""The application does not own its tables (docs/database-roles.md): connected as the application
role, nobody can rewrite, truncate or unprotect history, with or without the retention flag; only the
retention role may UPDATE history, and only inside the retention pass."""

import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.factories import MemberFactory
from tmgportal import dbroles

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="database roles are PostgreSQL's"),
]
HISTORY = "appointments_historicalmember"


@pytest.fixture
def roles():
    app, retention = f"tmg_app_{uuid.uuid4().hex[:6]}", f"tmg_bewaar_{uuid.uuid4().hex[:6]}"
    with connection.cursor() as cursor:
        for role in (app, retention):
            cursor.execute(f"CREATE ROLE {role} LOGIN")
    dbroles.grant_roles(app_role=app, retention_role=retention)
    yield app, retention
    with connection.cursor() as cursor:
        for role in (app, retention):
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


def connect_as(role):
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=role,
        host=settings["HOST"],
        port=settings["PORT"] or None,
        autocommit=True,
    )


def refused(cursor, statement, match):
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match=match):
        cursor.execute(statement)


def test_the_application_role_cannot_rewrite_truncate_or_unprotect_history(roles, abd_user):
    app, _ = roles
    member = MemberFactory(surname="Onschendbaar")
    with connect_as(app) as conn, conn.cursor() as cursor:
        # What the application needs it has: reading and writing records, adding history.
        cursor.execute("SELECT count(*) FROM appointments_member")
        cursor.execute(f"UPDATE appointments_member SET phone = '070' WHERE id = {member.pk}")
        cursor.execute(f"SELECT count(*) FROM {HISTORY} WHERE id = {member.pk}")
        assert cursor.fetchone()[0] >= 1
        for statement in (
            f"UPDATE {HISTORY} SET surname = 'Vervalst'",
            f"DELETE FROM {HISTORY}",
            f"TRUNCATE {HISTORY}",
        ):
            refused(cursor, statement, "permission denied")
        with conn.transaction():  # the retention flag gets it nothing
            cursor.execute("SELECT set_config('tmgportal.retention_pass', 'on', true)")
            refused(cursor, f"UPDATE {HISTORY} SET surname = 'Vervalst'", "permission denied")
        refused(cursor, f"DROP TRIGGER tmg_append_only ON {HISTORY}", "must be owner")
        refused(cursor, f"ALTER TABLE {HISTORY} DISABLE TRIGGER tmg_append_only", "must be owner")
        cursor.execute(f"GRANT UPDATE ON {HISTORY} TO {app}")  # PostgreSQL: "no privileges were granted"
        refused(cursor, f"UPDATE {HISTORY} SET surname = 'Vervalst'", "permission denied")
        refused(cursor, "TRUNCATE appointments_member CASCADE", "permission denied")
    assert MemberFactory._meta.model.history.filter(id=member.pk, surname="Onschendbaar").exists()


def test_only_the_retention_role_in_the_retention_pass_may_update_history(roles):
    _, retention = roles
    member = MemberFactory(surname="Bewaard")
    with connect_as(retention) as conn, conn.cursor() as cursor:
        refused(cursor, f"UPDATE {HISTORY} SET phone = '' WHERE id = {member.pk}", "append-only")
        refused(cursor, f"DELETE FROM {HISTORY}", "permission denied")
        refused(cursor, f"TRUNCATE {HISTORY}", "permission denied")
        with conn.transaction():
            cursor.execute("SELECT set_config('tmgportal.retention_pass', 'on', true)")
            cursor.execute(f"UPDATE {HISTORY} SET phone = '' WHERE id = {member.pk}")


def test_a_release_without_new_migrations_may_run_migrate_as_the_application_role(roles):
    """`make serve` runs `migrate`; as the application role, with nothing to apply, it changes
    nothing (the owner's triggers and grants are left alone) and succeeds."""
    app, _ = roles
    settings = connection.settings_dict
    url = f"postgres://{app}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    env = dict(os.environ, DATABASE_URL=url, TMG_DB_APP_ROLE=app)
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with connect_as(app) as conn, conn.cursor() as cursor:
        refused(cursor, f"DELETE FROM {HISTORY}", "permission denied")
