"""Races as an attacker or two busy colleagues would cause them, against gunicorn with four workers on
the run's database (SQLite in the first pass, PostgreSQL in the second): every simultaneous request
ends in the first record or a clear Dutch message, never a server error or a duplicate, and parallel
password guesses never get past the lock-out's limit."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from .server import Browser, post_form, running_server

# The module's tests share one server: one test process runs them all. Races under gunicorn are a
# subprocess test of the production stack: the PostgreSQL pass (SQLite's own answer to a held write
# lock is tests/service/test_sqlite_lock.py).
pytestmark = [pytest.mark.service, pytest.mark.once, pytest.mark.xdist_group("service-races")]
AT_ONCE = 6


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("races"), workers=4) as running:
        yield running


def staff(server, times=AT_ONCE) -> list[Browser]:
    browsers = []
    for _ in range(times):
        browser = Browser(server)
        browser.log_in("abd", "demo-abd-2026")
        browsers.append(browser)
    return browsers


def all_at_once(calls):
    """Each call (browser, path, fields) posted at the same moment from its own connection."""
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(lambda call: call[0].request(call[1], call[2]), calls))


def refusals(results) -> list[list[str]]:
    """The messages on each page that was not a success, for the assertion's report."""
    return [
        re.findall(r"invalid-feedback[^>]*>\s*(?:<[^>]+>)*([^<]+)", body)
        + re.findall(r"error-summary.*?<li>(.*?)</li>", body, re.S)
        for status, body in results
        if status != 302
    ]


def first_saves_the_others_are_told(results, message: str) -> None:
    """Of requests sent at once: no server error, exactly one saved, every other one told `message`."""
    statuses = sorted(status for status, _ in results)
    assert 500 not in statuses
    assert statuses.count(302) == 1, refusals(results)
    assert all(message in body for status, body in results if status != 302)


def opened(browsers, path, **changes):
    """Every browser opens the form at `path` first (as users do), then changes the same fields."""
    calls = []
    for browser in browsers:
        status, page = browser.get(path)
        assert status == 200, path
        fields = post_form(page)
        fields.update(changes)
        calls.append((browser, path, fields))
    return calls


def test_parallel_wrong_passwords_never_get_past_the_limit(server):
    guesses = []
    for n in range(40):
        browser = Browser(server)
        fields = post_form(browser.get("/inloggen/")[1])
        fields.update(username="doelwit", password=f"fout-wachtwoord-{n}")
        guesses.append((browser, "/inloggen/", fields))
    statuses = [status for status, _ in all_at_once(guesses)]
    assert 500 not in statuses
    checked = statuses.count(200)  # the password was looked at, and refused
    assert checked <= 10, statuses  # TMG_LOCKOUT_USERNAME_LIMIT
    assert statuses.count(429) == 40 - checked


def test_two_staff_creating_the_same_person_make_one_file(server):
    person = {
        "initials": "Q.R.",
        "first_name": "Quirijn",
        "prefix": "",
        "surname": "Racetoets",
        "date_of_birth": "1970-03-04",
    }
    results = all_at_once(opened(staff(server), "/leden/nieuw/", **person))
    first_saves_the_others_are_told(results, "heeft al een dossier")
    count = (
        "from appointments.models import Member; print(Member.objects.filter(surname='Racetoets').count())"
    )
    assert server.python(count) == "1"


MEMBER_WITH_PLACEMENT = """
from salaries.models import Placement
placement = Placement.objects.order_by("member_id", "-valid_from").first()
print(placement.member_id)
"""


def test_identical_placements_at_once_make_one(server):
    pk = server.python(MEMBER_WITH_PLACEMENT)
    path = f"/salaris/leden/{pk}/inschaling/"
    results = all_at_once(
        opened(
            staff(server), path, valid_from="2026-11-17", step="5", reason="Racetoets", motivation="Racetoets"
        )
    )
    first_saves_the_others_are_told(results, "al een inschaling op deze datum")


def test_first_wnt_entries_of_a_year_at_once_keep_the_first_and_tell_the_others(server):
    pk = server.python(MEMBER_WITH_PLACEMENT)
    path = f"/salaris/leden/{pk}/wnt/2031/"
    calls = opened(staff(server), path, reason="Racetoets")
    for n, (_, _, fields) in enumerate(calls):
        fields["other_reward"] = str(100 + n)
    results = all_at_once(calls)
    first_saves_the_others_are_told(results, "Iemand anders heeft")


def test_the_same_notification_choices_at_once_make_one_choice_per_kind(server):
    browsers = staff(server)
    status, page = browsers[0].get("/profiel/")
    kinds = [name for name, value in post_form(page).items() if value == "immediately"]
    assert kinds
    results = all_at_once(opened(browsers, "/profiel/", **dict.fromkeys(kinds, "daily")))
    assert [status for status, _ in results] == [302] * len(browsers)
    count = (
        "from appointments.models import NotificationPreference as P; from django.db.models import Count;"
        "print(max(P.objects.filter(user__username='abd').values('kind').annotate(n=Count('id')).values_list('n', flat=True)))"
    )
    assert server.python(count) == "1"


def test_simultaneous_edits_of_one_function_keep_the_first_and_tell_the_others(server):
    pk = server.python("from appointments.models import Function; print(Function.objects.first().pk)")
    path = f"/functies/{pk}/wijzigen/"
    calls = opened(staff(server, 4), path)
    for n, (_, _, fields) in enumerate(calls):
        fields["note"] = f"Racetoets {n}"
    results = all_at_once(calls)
    first_saves_the_others_are_told(results, "Iemand anders heeft")
