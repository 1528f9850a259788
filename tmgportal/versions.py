"""Version stamps in the shared cache, one per kind of data a cached page part is built from: part of
that part's cache key, renewed whenever the data may have changed. Every worker and server shares
the cache, so a change made through one is seen by all.

A transaction that changes the data renews the shared stamp when it commits. Until then it reads a
stamp of its own, which nobody else ever reads: what it builds from its uncommitted data is never
served to anyone else, also when it rolls back (its commit callback is then gone, and with it the
stamp of its own)."""

import threading
import uuid
from functools import partial

from django.core.cache import cache
from django.db import transaction

WORK = "work"  # dossiers, extensions, side activities, KBs, planned steps, functions, members
PAY = "pay"  # stored pay and WNT years, placements, the pay tables

_own = threading.local()


def _key(name: str) -> str:
    return f"version:{name}"


class _Own:
    """A stamp of this transaction's own, valid while its commit callback is registered. Django
    appends callbacks to `run_on_commit` in place and replaces the list on a commit or a rollback, so
    the same list object means still valid without scanning it (bulk loads register thousands)."""

    def __init__(self, connection, name: str):
        self.callback = partial(cache.delete, _key(name))
        self.savepoints = tuple(connection.savepoint_ids)
        self.value = uuid.uuid4().hex
        transaction.on_commit(self.callback)
        self.seen = connection.run_on_commit

    def is_valid(self, connection) -> bool:
        if self.seen is connection.run_on_commit:
            return True
        if any(entry[1] is self.callback for entry in connection.run_on_commit):
            self.seen = connection.run_on_commit
            return True
        return False


def _valid_own(connection, name: str) -> list:
    own = [entry for entry in getattr(_own, name, []) if entry.is_valid(connection)]
    setattr(_own, name, own)
    return own


def stamp(name: str) -> str:
    # The latest stamp of its own whose change is still part of this transaction (a savepoint rolled
    # back takes its commit callback, and so its stamp, with it).
    own = _valid_own(transaction.get_connection(), name)
    if own:
        return own[-1].value
    return str(cache.get_or_set(_key(name), lambda: uuid.uuid4().hex, None))


def renew(name: str) -> None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        cache.delete(_key(name))
        return
    # A new stamp of its own at every change, as a part built earlier in this transaction is stale
    # too; one commit callback per savepoint level.
    own = _valid_own(connection, name)
    if own and own[-1].savepoints == tuple(connection.savepoint_ids):
        own[-1].value = uuid.uuid4().hex
    else:
        own.append(_Own(connection, name))


def renew_all(**kwargs) -> None:
    """Every stamp anew, and the public register's version: after the data changed beneath the
    signals (a restore from a backup, a migration), nothing kept from before may be served."""
    from appointments import register

    for name in (WORK, PAY):
        renew(name)
    register.clear_cache()
