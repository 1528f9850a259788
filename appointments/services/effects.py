"""What a change of the member's file sets off outside it: the stored pay (salaries.figures) runs on
the held appointments, their dates and what ended them, and on the function's group and SG status.

The services that change those facts call `pay_facts_changed` explicitly, inside their transaction,
so the stored months commit with the facts or not at all (a page never reads pay older than the file).
salaries depends on appointments, not the other way round: it hands its refresh in once at start-up
(salaries.apps.SalariesConfig.ready). Signals are kept for cache invalidation only."""

from collections.abc import Callable, Iterable

_refreshers: list[Callable[[Iterable[int]], None]] = []


def on_pay_facts_changed(refresh: Callable[[Iterable[int]], None]) -> None:
    """Register what refreshes the stored pay of the given members (once, at start-up)."""
    if refresh not in _refreshers:
        _refreshers.append(refresh)


def pay_facts_changed(member_ids: Iterable[int]) -> None:
    ids = sorted(set(member_ids))
    if not ids:
        return
    for refresh in _refreshers:
        refresh(ids)
