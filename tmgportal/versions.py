"""Version stamps in the shared cache, one per kind of data a cached page part is built from: part of
that part's cache key, renewed whenever the data may have changed. Renewed at once, so the changing
request sees its own change, and again after commit, in case another request rebuilt the part from
the old data while the transaction was still open. Every worker and server shares the cache, so a
change made through one is seen by all."""

import uuid
from functools import partial

from django.core.cache import cache
from django.db import transaction

WORK = "work"  # dossiers, extensions, side activities, KBs, planned steps, functions, members
PAY = "pay"  # stored pay and WNT years, the pay tables


def stamp(name: str) -> str:
    return str(cache.get_or_set(f"version:{name}", lambda: uuid.uuid4().hex, None))


def renew(name: str) -> None:
    key = f"version:{name}"
    cache.delete(key)
    transaction.on_commit(partial(cache.delete, key))
