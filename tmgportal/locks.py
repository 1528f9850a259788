"""Taking turns where two users could otherwise both pass a check and both write: a lock held until
the transaction ends. Where a row exists to lock (the member, the user), lock that row
(`select_for_update`); where the thing to guard is not a row yet (a new person's file, the count of a
username's failed logins), lock its name.

On PostgreSQL a name is a transaction-scoped advisory lock. SQLite needs none: every transaction
takes the database's write lock at BEGIN (settings: IMMEDIATE), so writers already take turns."""

import hashlib

from django.db import connection


def _key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def serialise(*names: str) -> None:
    """Wait until no other transaction holds any of `names`, then hold them until this one ends.
    Taken in one order, so two transactions never wait for each other crosswise."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted({_key(name) for name in names}):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def lock(*instances) -> None:
    """Hold each instance's row until the transaction ends (SELECT … FOR UPDATE), in the order given."""
    for instance in instances:
        instance._meta.model._default_manager.select_for_update().filter(pk=instance.pk).exists()
