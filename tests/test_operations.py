"""What a service operator relies on: the health URL and the request log."""

import io
import logging

import pytest
from django.urls import reverse

from tmgportal import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_log(caplog):
    """The request logger does not propagate to the root (its own console line): listen to it."""
    logger = logging.getLogger("tmgportal.requests")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="tmgportal.requests")
    yield caplog
    logger.removeHandler(caplog.handler)


def test_health_is_ok_without_session_csrf_or_host(client):
    response = client.get("/gezondheid/", HTTP_HOST="10.0.0.7")  # a load balancer asks by address
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "opslag": "ok"}
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert client.post("/gezondheid/").status_code == 405


def test_health_names_the_failing_part(client, monkeypatch):
    def broken():
        raise ConnectionError("cache down")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/gezondheid/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "fout",
        "database": "ok",
        "cache": "fout: ConnectionError",
        "opslag": "ok",
    }


def test_each_request_is_one_log_line_with_user_id_and_request_id(abd_client, abd_user, request_log):
    response = abd_client.get(
        reverse("appointments:member_list") + "?naam=Geheim", HTTP_X_REQUEST_ID="proxy-id-123"
    )
    assert response["X-Request-ID"] == "proxy-id-123"
    (line,) = [r.getMessage() for r in request_log.records if r.name == "tmgportal.requests"]
    assert (
        line.startswith("GET /leden/ 200 ")
        and f"user={abd_user.pk} " in line
        and line.endswith("rid=proxy-id-123")
    )
    assert "Geheim" not in line and abd_user.username not in line.replace(f"user={abd_user.pk}", "")


def test_a_failing_request_is_logged_with_its_request_id(client, request_log, monkeypatch):
    from appointments.views import register

    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(register, "public_register", fail)
    client.raise_request_exception = False
    response = client.get(reverse("public_register_json"), HTTP_X_REQUEST_ID="not valid!")
    assert response.status_code == 500
    rid = response["X-Request-ID"]
    assert len(rid) == 32 and rid != "not valid!"  # an implausible id from outside is replaced
    errors = [r for r in request_log.records if r.levelno == logging.ERROR and r.name == "tmgportal.requests"]
    assert (
        errors and errors[0].getMessage().endswith(f"rid={rid}") and "RuntimeError" in errors[0].getMessage()
    )


def test_the_logs_never_write_a_calendar_feed_token(client, abd_user, settings):
    """The feed's token is its credential: the request log and Django's "Not Found" line show the
    path without it (tmgportal.requestlog.SecretPathFilter on the console handler)."""
    from appointments.services import calendar_feed_renew

    token = calendar_feed_renew(user=abd_user).token
    [console] = logging.getLogger("tmgportal.requests").handlers
    written = io.StringIO()
    previous = console.setStream(written)
    try:
        assert client.get(f"/agenda/{token}.ics").status_code == 200
        assert client.get("/agenda/een-oud-ingetrokken-token.ics").status_code == 404
    finally:
        console.setStream(previous)
    log = written.getvalue()
    assert "GET /agenda/….ics 200" in log and "Not Found: /agenda/….ics" in log
    assert token not in log and "een-oud-ingetrokken" not in log
