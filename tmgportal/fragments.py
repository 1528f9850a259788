"""Parts of a page kept in the shared cache, for everyone who sees them the same way: the key holds
the part's name, the version stamps of the data it is built from (tmgportal.versions), the day, the
language and the user's scope (tmgportal.roles.scope_key). A change of the data renews its stamp, a
new day or another language or scope is another key: a part is never shown stale or to someone who
would see it otherwise."""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

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


# Where the CSRF token goes in a cached page part; filled per request (`content`).
CSRF_PLACEHOLDER = "tmg-csrf-token-placeholder"


def content(
    request,
    name: str,
    *,
    stamps: tuple[str, ...],
    template: str,
    context: Callable[[], dict],
    keep: bool = True,
) -> str:
    """The main part of a page (below the menu) for a GET, rendered once for everyone with the same
    scope and kept under the full path (the record, the filter, the order and the page asked for)
    until the data in `stamps` changes. `context()` is only called to render it. Its forms carry a
    placeholder where the CSRF token goes, replaced by this request's token; the template reads
    nothing of the user but what the scope decides (`can`). Not `keep`: rendered as it is (an
    action, a refused filter, a form with errors)."""
    if not keep:
        return render_to_string(template, context(), request=request)

    def build():
        return render_to_string(template, context() | {"csrf_token": CSRF_PLACEHOLDER}, request=request)

    html = cached(name, user=request.user, stamps=stamps, vary=request.get_full_path(), build=build)
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))
