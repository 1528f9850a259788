"""One holder per function and one function per member on any day [ARAR 7.4], held by PostgreSQL as
exclusion constraints on the date ranges of appointments from KB signed onwards. SQLite has no
exclusion constraints: there Appointment.clean checks it under the service's row locks."""

from django.db import migrations

HELD = "('kb_signed', 'in_function', 'extended', 'ended', 'search_period', 'replaced', 'employment_ended')"
HELD_DAYS = "daterange(start_date, COALESCE(ended_on, term_end), '[)')"
CONSTRAINTS = {
    "appointment_function_held_once": "function_id",
    "appointment_member_holds_one_function": "member_id",
}


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # btree_gist lets a gist index compare the integer id with "="; trusted since PostgreSQL 13.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE appointments_appointment ADD CONSTRAINT {name} "
            f"EXCLUDE USING gist ({column} WITH =, {HELD_DAYS} WITH &&) WHERE (status IN {HELD})"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE appointments_appointment DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("appointments", "0004_occupancy_conversation_withdrawal")]
    operations = [migrations.RunPython(add, remove)]
