"""Parts of a page kept in the shared cache, for everyone who sees them the same way: the key holds
the part's name, the version stamps of the data it is built from (tmgportal.versions), the day, the
language and the user's scope (tmgportal.roles.scope_key). A change of the data renews its stamp, a
new day or another language or scope is another key: a part is never shown stale or to someone who
would see it otherwise."""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.utils import timezone, translation

from . import roles, versions

SECONDS = 60 * 60


def cached(name: str, *, user, stamps: tuple[str, ...], build: Callable[[], object], vary: str = ""):
    """`build()`, or what it gave before under the same key; `vary` is what else the part is built
    from (a query string)."""
    key = ":".join(
        [
            "fragment",
            name,
            hashlib.sha256(vary.encode()).hexdigest() if vary else "",
            *(versions.stamp(stamp) for stamp in stamps),
            timezone.localdate().isoformat(),
            translation.get_language() or "",
            roles.scope_key(user),
        ]
    )
    return cache.get_or_set(key, build, SECONDS)
