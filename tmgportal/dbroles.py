"""The PostgreSQL roles tmgportal runs under (docs/database-roles.md).

- The **owner** (the role in the migration's DATABASE_URL) owns every table: it runs `migrate`,
  installs the append-only triggers and grants the two roles below. It is never the application's.
- The **application role** (TMG_DB_APP_ROLE), as which gunicorn connects: it reads and writes the
  records, but on a history table it may only SELECT and INSERT. Not owning the tables, it cannot
  TRUNCATE them, drop or disable the trigger, or grant itself more: setting the retention flag gets
  it nothing, as it has no UPDATE privilege on history.
- The **retention role** (TMG_DB_RETENTION_ROLE), as which only `anonymise_expired` connects (its own
  DATABASE_URL in the cron line): the application's rights plus UPDATE on history, which the trigger
  still allows only inside the retention pass (tmgportal.history.retention_pass).

The grants are renewed after every `migrate` (tmgportal.signals), so a new table is covered at once.
"""

from django.conf import settings
from django.db import connection

from .history import historical_models, with_m2m_histories

# Which migrations ran is the owner's to record.
READ_ONLY_TABLES = frozenset({"django_migrations"})


def owns_tables() -> bool:
    """Whether this connection's role owns the tables: only the owner installs the triggers and
    grants (a `migrate` with nothing to do, run as the application role, changes nothing)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableowner = current_user FROM pg_tables WHERE schemaname = 'public' AND tablename = 'django_migrations'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def history_tables() -> set[str]:
    return {table._meta.db_table for model in historical_models() for table in with_m2m_histories(model)}


def _tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return [name for (name,) in cursor.fetchall()]


def grant_roles(*, app_role: str | None = None, retention_role: str | None = None) -> None:
    """Give the application and retention roles exactly their rights on every table (PostgreSQL)."""
    app_role = app_role or settings.TMG_DB_APP_ROLE
    retention_role = retention_role or settings.TMG_DB_RETENTION_ROLE
    if connection.vendor != "postgresql" or not (app_role or retention_role):
        return
    quote = connection.ops.quote_name
    history = history_tables()
    with connection.cursor() as cursor:
        for role, history_rights in (
            (app_role, "SELECT, INSERT"),
            (retention_role, "SELECT, INSERT, UPDATE"),
        ):
            if not role:
                continue
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {quote(role)}")
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quote(role)}")
            for table in _tables(cursor):
                cursor.execute(f"REVOKE ALL ON {quote(table)} FROM {quote(role)}")
                if table in history:
                    rights = history_rights
                elif table in READ_ONLY_TABLES:
                    rights = "SELECT"
                else:
                    rights = "SELECT, INSERT, UPDATE, DELETE"
                cursor.execute(f"GRANT {rights} ON {quote(table)} TO {quote(role)}")


def may_rewrite_history() -> bool:
    """Whether this connection's role may UPDATE history at all (the retention role, or the owner on
    an installation without separate roles)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege(current_user, %s, 'UPDATE')",
            [connection.ops.quote_name(next(iter(sorted(history_tables()))))],
        )
        return cursor.fetchone()[0]
