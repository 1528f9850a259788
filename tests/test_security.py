"""Security headers, CSRF, sessions, lock-out and the production settings check."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

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


def test_repeated_failed_logins_lock_out_for_a_cool_off_time(client, abd_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": abd_user.username, "password": "wrong"})
    locked = client.post(
        reverse("login"), {"username": abd_user.username, "password": "correct-horse-battery-staple"}
    )
    assert locked.status_code == 429
    assert settings.AXES_COOLOFF_TIME.total_seconds() > 0


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


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TMG_", "DATABASE_URL"))},
        "DJANGO_SECRET_KEY": "a-production-like-secret-key-0123456789-abcdefghijklmnopqrstuvw",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "tmgportal.example.nl",
        "TMG_ENV_FILE": os.devnull,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


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
