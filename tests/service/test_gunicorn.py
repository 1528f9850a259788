"""tmgportal as a service: gunicorn with two workers on the run's database engine and its
shared cache. Every worker shows the same public register after a change made by another process;
simultaneous writes never give a server error; the health URL answers without a session."""

import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from .server import Browser, post_form, running_server

# Production runs gunicorn on PostgreSQL with Redis: the PostgreSQL pass only (test_races keeps both).
# The module's tests share one server, so one test process runs them all, in this order.
pytestmark = [pytest.mark.service, pytest.mark.once, pytest.mark.xdist_group("service-gunicorn")]

# In another process: withdraw every published side activity of one member shown on the register.
UNPUBLISH = """
from appointments import services
from appointments.models import SideActivity
from tmgportal.system import system_user
for activity in SideActivity.objects.filter(member__pk={pk}, publication="published"):
    services.side_activity_unpublish(
        user=system_user(), activity=activity, expected_version=activity.version, reason="Dienstentest"
    )
"""
PUBLISHED = """
from appointments.register import public_register
from appointments.models import SideActivity
shown = {m.name for m in public_register().members if m.activities}
member = next(a.member for a in SideActivity.objects.filter(publication="published") if a.member.full_name in shown)
print(member.pk, member.full_name, sep="|")
"""
MEMBER_IDS = "from appointments.models import Member; print(*Member.objects.values_list('pk', flat=True)[:8])"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("service"), workers=2) as running:
        yield running


def many(server, path, times=24):
    """`times` requests at once from as many connections, so both workers answer."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda _: Browser(server).get(path), range(times)))


def test_health_answers_without_a_session_or_host_check(server):
    status, body = Browser(server).get("/gezondheid/")
    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok", "cache": "ok", "opslag": "ok"}
    assert "sessionid" not in body


def activities_shown(body: str, name: str) -> int:
    return sum(len(m["activities"]) for m in json.loads(body)["members"] if m["name"] == name)


def test_every_worker_shows_the_register_as_changed_by_another_process(server):
    pk, name = server.python(PUBLISHED).split("|")
    path = "/openbaar/nevenwerkzaamheden.json"
    before = many(server, path)
    assert all(status == 200 and activities_shown(body, name) for status, body in before)

    server.python(UNPUBLISH.format(pk=pk))

    answered_before = server.worker_pids(path)
    after = many(server, path)
    assert all(status == 200 for status, _ in after)
    assert [activities_shown(body, name) for _, body in after] == [0] * len(after)
    assert len(answered_before) == 2 and len(server.worker_pids(path)) == 2  # both workers answered


def test_simultaneous_edits_of_different_members_never_give_a_server_error(server):
    members = server.python(MEMBER_IDS).split()
    browsers = []
    for _ in members:
        browser = Browser(server)
        browser.log_in("abd", "demo-abd-2026")
        browsers.append(browser)
    forms = []
    for browser, pk in zip(browsers, members, strict=True):
        status, page = browser.get(f"/leden/{pk}/wijzigen/")
        assert status == 200
        fields = post_form(page)
        fields["phone"] = "070 123 45 67"
        forms.append((browser, pk, fields))

    with ThreadPoolExecutor(max_workers=len(forms)) as pool:
        results = list(pool.map(lambda f: f[0].request(f"/leden/{f[1]}/wijzigen/", f[2]), forms))

    errors = [
        re.findall(r"invalid-feedback[^>]*>([^<]+)", b) + re.findall(r"alert-danger[^>]*>([^<]+)", b)
        for s, b in results
        if s != 302
    ]
    assert [status for status, _ in results] == [302] * len(forms), errors


def test_simultaneous_edits_of_one_member_give_the_conflict_message_not_an_error(server):
    pk = server.python(MEMBER_IDS).split()[0]
    forms = []
    for phone in ("070 111 11 11", "070 222 22 22", "070 333 33 33", "070 444 44 44"):
        browser = Browser(server)
        browser.log_in("abd", "demo-abd-2026")
        fields = post_form(browser.get(f"/leden/{pk}/wijzigen/")[1])
        fields["phone"] = phone
        forms.append((browser, fields))

    with ThreadPoolExecutor(max_workers=len(forms)) as pool:
        results = list(pool.map(lambda f: f[0].request(f"/leden/{pk}/wijzigen/", f[1]), forms))

    statuses = sorted(status for status, _ in results)
    assert 500 not in statuses
    assert statuses.count(302) == 1, statuses  # one wins; the others are told someone else saved first
    assert all("gewijzigd" in body for status, body in results if status != 302)


def test_the_case_management_pages_answer_from_both_workers_for_both_roles(server):
    """The work queue, the forecast, the search, the profile, sorted lists and their exports under
    two workers, for ABD staff and for an office, many at once."""
    staff, office = Browser(server), Browser(server)
    staff.log_in("abd", "demo-abd-2026")
    office.log_in("bureau-fin", "demo-bureau-fin-2026")
    paths = [
        "/dashboard/",
        "/prognose/",
        "/zoeken/",
        "/profiel/",
        "/leden/",
        "/leden/export.xlsx",
        "/prognose/export.csv",
    ]
    queries = {
        "/dashboard/": "?sorteer=-lid",
        "/zoeken/": "?q=de",
        "/leden/": "?sorteer=-einde&eindigt_binnen=24",
    }
    calls = [(who, path) for who in (staff, office) for path in paths for _ in range(3)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda call: (call[1], call[0].get(call[1] + queries.get(call[1], ""))[0]), calls)
        )
    assert [path for path, status in results if status != 200] == []
    assert len(set().union(*(server.worker_pids(path) for path in paths))) == 2  # both workers answered
    _, page = office.get("/prognose/")
    assert "Rotatieprognose" in page and 'role="img"' in page


def test_the_role_mix_of_the_load_test_gets_no_failed_request(server):
    """The smoke run of `make loadtest` (scripts/locustfile.py: ABD staff, offices deciding real
    proposals, visitors of the register), five users for ten seconds; last, as it changes files."""
    from scripts.loadtest import drive

    rows = drive(server, users=5, seconds=10)
    total = next(row for row in rows if row["Name"] == "Aggregated")
    assert int(total["Request Count"]) > 20 and int(total["Failure Count"]) == 0
