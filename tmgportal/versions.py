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


def stamp(name: str) -> str:
    own = getattr(_own, name, None)
    if own is not None:
        callback, value = own
        if any(entry[1] is callback for entry in transaction.get_connection().run_on_commit):
            return value
        delattr(_own, name)
    return str(cache.get_or_set(_key(name), lambda: uuid.uuid4().hex, None))


def renew(name: str) -> None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        cache.delete(_key(name))
        return
    # A new stamp of its own at every change: a part built earlier in this transaction is stale too.
    own = getattr(_own, name, None)
    if own is not None and any(entry[1] is own[0] for entry in connection.run_on_commit):
        callback = own[0]  # renewed on commit already
    else:
        callback = partial(cache.delete, _key(name))
        transaction.on_commit(callback)
    setattr(_own, name, (callback, uuid.uuid4().hex))
