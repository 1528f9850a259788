"""Security headers, CSRF, sessions, lock-out and the production settings check."""

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import abd_staff_user
from tmgportal.middleware import SessionLifetimeMiddleware

pytestmark = pytest.mark.django_db


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def pages(abd_user, appointment_x):
    """One of each kind: the login page, a staff page, a download, an error page, the public register."""
    staff = Client()
    staff.force_login(abd_user)
    return {
        "login": Client().get(reverse("login"), secure=True),
        "staff page": staff.get(
            reverse("appointments:member_detail", args=[appointment_x.member.pk]), secure=True
        ),
        "download": staff.get(reverse("appointments:dashboard_export", args=["xlsx"]), secure=True),
        "error page": staff.get(reverse("appointments:member_detail", args=[987654]), secure=True),
        "public register": Client().get(reverse("public_register"), secure=True),
        "public open data": Client().get(reverse("public_register_csv"), secure=True),
    }


def test_security_headers_on_every_kind_of_page(pages):
    assert pages["error page"].status_code == 404
    for name, response in pages.items():
        try:
            assert_security_headers(response)
        except (AssertionError, KeyError) as error:
            raise AssertionError(f"{name}: {error!r}") from error


def test_authenticated_pages_and_downloads_are_never_stored(pages):
    for name in ("login", "staff page", "download", "error page"):
        assert {"private", "no-store"} <= cache_directives(pages[name]), name


def test_the_public_register_keeps_its_public_caching(pages):
    for name in ("public register", "public open data"):
        directives = cache_directives(pages[name])
        assert "public" in directives and "no-store" not in directives and "private" not in directives, name


def test_cookies_are_secure_httponly_and_samesite(client, abd_user):
    response = client.post(
        reverse("login"), {"username": abd_user.username, "password": "correct-horse-battery-staple"}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_login_gives_a_new_session_key_and_logout_kills_it(abd_user):
    client = Client()
    client.get(reverse("login"))
    client.cookies[settings.SESSION_COOKIE_NAME] = "planted-session-key"
    client.post(reverse("login"), {"username": abd_user.username, "password": "correct-horse-battery-staple"})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert key != "planted-session-key"
    client.post(reverse("logout"))
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = key
    assert stolen.get(reverse("appointments:member_list")).status_code == 302


def _age_session(client, **seconds_ago):
    session = client.session
    now = time.time()
    session[SessionLifetimeMiddleware.LOGIN_AT] = now - seconds_ago.get("login", 0)
    session[SessionLifetimeMiddleware.SEEN_AT] = now - seconds_ago.get("seen", 0)
    session.save()


def test_session_ends_after_thirty_minutes_idle(abd_client):
    _age_session(abd_client, seen=31 * 60, login=31 * 60)
    assert abd_client.get(reverse("appointments:member_list")).status_code == 302


def test_session_survives_twenty_nine_minutes_idle(abd_client):
    _age_session(abd_client, seen=29 * 60, login=60 * 60)
    assert abd_client.get(reverse("appointments:member_list")).status_code == 200


def test_session_ends_after_twelve_hours_even_when_active(abd_client):
    _age_session(abd_client, seen=60, login=12 * 60 * 60 + 1)
    assert abd_client.get(reverse("appointments:member_list")).status_code == 302


def test_post_without_csrf_token_is_refused(abd_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(abd_user)
    response = client.post(reverse("appointments:member_create"), {"surname": "X"})
    assert response.status_code == 403


PASSWORD = "correct-horse-battery-staple"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def log_in(username, password, address, forwarded=None, path="login"):
    """One login attempt from a fresh browser at `address` (and a proxy's X-Forwarded-For)."""
    extra = {"REMOTE_ADDR": address} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    data = {"username": username, "password": password}
    if path == "admin":
        return Client().post(reverse("admin:login"), data | {"next": "/beheer/"}, **extra)
    return Client().post(reverse("login"), data, **extra)


def test_guessing_one_password_from_many_addresses_locks_that_account(abd_user, settings):
    with time_machine.travel(START, tick=False) as clock:
        for attempt in range(settings.TMG_LOCKOUT_USERNAME_LIMIT):
            log_in(abd_user.username, "fout", f"192.0.2.{attempt % 8 + 1}")  # 8 addresses
            clock.shift(60)
        locked = log_in(abd_user.username, PASSWORD, "198.51.100.7")
        assert locked.status_code == 429
        assert "Te veel mislukte inlogpogingen" in locked.text and "2 maart 2026, 11:00" in locked.text
        assert "_auth_user_id" not in locked.wsgi_request.session
        # Another user from the same addresses is not affected.
        other = abd_staff_user("abd-collega")
        assert log_in(other.username, PASSWORD, "192.0.2.1").status_code == 302
        clock.move_to(datetime(2026, 3, 2, 10, 0, 1, tzinfo=UTC))
        assert log_in(abd_user.username, PASSWORD, "198.51.100.7").status_code == 302


def test_attempts_during_a_lock_do_not_prolong_it(abd_user, settings):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(settings.TMG_LOCKOUT_USERNAME_LIMIT):
            log_in(abd_user.username, "fout", "192.0.2.1")
        for _ in range(5):
            clock.shift(600)
            assert log_in(abd_user.username, "fout", "192.0.2.1").status_code == 429
        clock.move_to(START + timedelta(minutes=settings.TMG_LOCKOUT_USERNAME_MINUTES, seconds=1))
        assert log_in(abd_user.username, PASSWORD, "192.0.2.1").status_code == 302


def test_one_address_trying_many_accounts_is_locked_but_not_the_accounts(abd_user, settings):
    with time_machine.travel(START, tick=False):
        for attempt in range(settings.TMG_LOCKOUT_ADDRESS_LIMIT):
            log_in(f"geraden{attempt}", "fout", "203.0.113.9")
        assert log_in(abd_user.username, PASSWORD, "203.0.113.9").status_code == 429
        assert log_in(abd_user.username, PASSWORD, "203.0.113.10").status_code == 302


def test_behind_a_trusted_proxy_each_client_has_its_own_address(abd_user, settings):
    settings.TMG_TRUSTED_PROXIES = 1
    proxy = "10.0.0.1"
    with time_machine.travel(START, tick=False):
        for attempt in range(settings.TMG_LOCKOUT_ADDRESS_LIMIT):
            # The attacker puts a made-up address first; the proxy appends the real one.
            log_in(f"geraden{attempt}", "fout", proxy, forwarded=f"198.51.100.{attempt}, 203.0.113.9")
        assert log_in(abd_user.username, PASSWORD, proxy, forwarded="203.0.113.9").status_code == 429
        # Everyone else behind the same proxy logs in as usual.
        assert log_in(abd_user.username, PASSWORD, proxy, forwarded="203.0.113.44").status_code == 302


def test_a_successful_login_clears_the_count_of_the_account(abd_user, settings):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(settings.TMG_LOCKOUT_USERNAME_LIMIT - 1):
            log_in(abd_user.username, "fout", "192.0.2.1")
        clock.shift(60)
        assert log_in(abd_user.username, PASSWORD, "192.0.2.1").status_code == 302
        clock.shift(60)
        log_in(abd_user.username, "fout", "192.0.2.1")
        assert log_in(abd_user.username, PASSWORD, "192.0.2.1").status_code == 302


def test_the_admin_login_is_locked_as_well(admin_user, settings):
    with time_machine.travel(START, tick=False):
        for _ in range(settings.TMG_LOCKOUT_USERNAME_LIMIT):
            log_in(admin_user.username, "fout", "192.0.2.1", path="admin")
        refused = log_in(admin_user.username, "password", "192.0.2.1", path="admin")
        assert refused.status_code == 200 and "Te veel mislukte inlogpogingen" in refused.text


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("appointments:member_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_no_view_is_csrf_exempt():
    from django.urls import get_resolver

    def walk(resolver):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern)
            else:
                yield pattern.callback

    exempt = [cb for cb in walk(get_resolver()) if getattr(cb, "csrf_exempt", False)]
    assert exempt == []


def test_language_can_be_switched_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True)
    assert "Log in" in response.text


def check_deploy(**extra):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TMG_", "DATABASE_URL"))},
        "DJANGO_SECRET_KEY": "a-production-like-secret-key-0123456789-abcdefghijklmnopqrstuvw",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "tmgportal.example.nl",
        "TMG_BASE_URL": "https://tmgportal.example.nl",
        "TMG_ENV_FILE": os.devnull,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env | extra,
        capture_output=True,
        text=True,
    )


@pytest.mark.once  # a subprocess: the settings, not the engine
def test_production_settings_pass_check_deploy():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.once  # a subprocess: the settings, not the engine
def test_production_settings_without_the_second_factor_fail_check_deploy():
    result = check_deploy(TMG_REQUIRE_SECOND_FACTOR="0")
    assert result.returncode != 0 and "tmgportal.E001" in result.stderr + result.stdout


@pytest.mark.once  # a subprocess: the settings, not the engine
@pytest.mark.parametrize(
    "setting, check",
    [
        ({"TMG_DEMO": "1"}, "tmgportal.E002"),
        ({"TMG_DEMO": "1", "TMG_REQUIRE_SECOND_FACTOR": "0"}, "tmgportal.E001"),
        ({"TMG_BASE_URL": "http://127.0.0.1:8000"}, "tmgportal.E003"),
    ],
)
def test_demo_mode_or_a_local_base_url_fail_check_deploy(setting, check):
    result = check_deploy(**setting)
    assert result.returncode != 0 and check in result.stderr + result.stdout


@pytest.mark.once  # a subprocess: the settings, not the engine
def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='tmgportal.settings'; django.setup()",
        ],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SECRET_KEY": ""},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_dutch_is_the_default_whatever_the_browser_asks(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Inloggen" in response.text
