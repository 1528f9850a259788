"""A second factor for every staff login: enrolment with a QR code and a
typed key, a code at every login, single-use recovery codes, and no page before the code."""

import re
import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import abd_staff_user, office_user

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """What the authenticator app shows, from the key as typed in (steps_ahead: a later 30 s step,
    because a code is accepted once)."""
    from base64 import b32decode

    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def password_login(client, user, next_url="/leden/"):
    return client.post(
        f"{reverse('login')}?next={next_url}",
        {"username": user.username, "password": PASSWORD, "next": next_url},
    )


def enrol(client) -> tuple[str, list[str]]:
    page = client.get(reverse("second_factor_enrol"))
    secret = re.search(r'<code id="secret-key"[^>]*>([A-Z2-7 ]+)</code>', page.text).group(1)
    assert "<svg" in page.text  # the QR code, inline
    done = client.post(reverse("second_factor_enrol"), {"code": code_for(secret), "next": "/leden/"})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z0-9]{8})</li>", done.text)
    return secret, codes


def test_no_page_answers_before_the_second_factor(ministry_x):
    for user in (abd_staff_user(), office_user(ministry_x)):
        client = Client()
        response = password_login(client, user)
        assert response.status_code == 302
        blocked = client.get("/leden/")
        assert blocked.status_code == 302 and blocked.url.startswith(reverse("second_factor_enrol"))
        assert "next=%2Fleden%2F" in blocked.url


def test_enrolment_then_every_login_asks_a_code(abd_user):
    client = Client()
    password_login(client, abd_user)
    secret, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/leden/").status_code == 200
    assert "Tweede factor ingesteld" in abd_user.history.latest().history_change_reason

    later = Client()
    password_login(later, abd_user)
    assert later.get("/leden/").url.startswith(reverse("second_factor_verify"))
    wrong = later.post(reverse("second_factor_verify"), {"code": "000000", "next": "/leden/"})
    assert wrong.status_code == 200 and "Deze code klopt niet" in wrong.text
    with time_machine.travel(time.time() + 3):  # after a wrong code django-otp waits a moment (throttling)
        right = later.post(
            reverse("second_factor_verify"), {"code": code_for(secret, steps_ahead=1), "next": "/leden/"}
        )
    assert right.status_code == 302 and right.url == "/leden/"
    assert later.get("/leden/").status_code == 200


def test_a_recovery_code_works_once(abd_user):
    client = Client()
    password_login(client, abd_user)
    _, codes = enrol(client)
    first = Client()
    password_login(first, abd_user)
    assert (
        first.post(reverse("second_factor_verify"), {"code": codes[0], "next": "/leden/"}).status_code == 302
    )
    again = Client()
    password_login(again, abd_user)
    assert (
        again.post(reverse("second_factor_verify"), {"code": codes[0], "next": "/leden/"}).status_code == 200
    )
    assert again.get("/leden/").status_code == 302


def test_a_next_address_elsewhere_is_not_followed(abd_user):
    client = Client()
    password_login(client, abd_user)
    secret, _ = enrol(client)
    other = Client()
    password_login(other, abd_user)
    response = other.post(
        reverse("second_factor_verify"),
        {"code": code_for(secret, steps_ahead=1), "next": "https://elders.example/"},
    )
    assert response.status_code == 302 and response.url == reverse("home")


def test_public_pages_stay_open_to_a_user_who_has_not_given_the_code(abd_user):
    client = Client()
    password_login(client, abd_user)
    assert client.get(reverse("public_register")).status_code == 200


def test_in_demo_mode_the_demo_accounts_may_skip_it(abd_user, settings):
    settings.TMG_REQUIRE_SECOND_FACTOR = False
    client = Client()
    password_login(client, abd_user)
    assert client.get("/leden/").status_code == 200


def test_the_admin_too_needs_the_second_factor(admin_user):
    client = Client()
    client.post(
        reverse("admin:login"), {"username": admin_user.username, "password": "password", "next": "/beheer/"}
    )
    response = client.get("/beheer/")
    assert response.status_code == 302 and response.url.startswith(reverse("second_factor_enrol"))


def shown_secret(client) -> str:
    page = client.get(reverse("second_factor_enrol"))
    return re.search(r'<code id="secret-key"[^>]*>([A-Z2-7 ]+)</code>', page.text).group(1)


def test_two_sessions_with_the_password_never_see_the_same_secret(abd_user):
    first, second = Client(), Client()
    password_login(first, abd_user)
    password_login(second, abd_user)
    seen_by_first = shown_secret(first)
    assert shown_secret(second) != seen_by_first
    # The secret the first session saw does not enrol the second one.
    refused = second.post(
        reverse("second_factor_enrol"), {"code": code_for(seen_by_first), "next": "/leden/"}
    )
    assert refused.status_code == 200 and "Deze code klopt niet" in refused.text
    assert second.get("/leden/").status_code == 302


def test_every_showing_of_the_enrolment_page_is_a_fresh_secret(abd_user):
    client = Client()
    password_login(client, abd_user)
    earlier = shown_secret(client)
    later = shown_secret(client)
    assert earlier != later
    stale = client.post(reverse("second_factor_enrol"), {"code": code_for(earlier), "next": "/leden/"})
    assert "Deze code klopt niet" in stale.text
    assert client.get("/leden/").status_code == 302


def test_the_session_key_is_renewed_when_the_second_factor_is_given(abd_user):
    client = Client()
    password_login(client, abd_user)
    before_enrolment = client.session.session_key
    secret, _ = enrol(client)
    assert client.session.session_key != before_enrolment
    assert client.get("/leden/").status_code == 200

    later = Client()
    password_login(later, abd_user)
    before_code = later.session.session_key
    later.post(reverse("second_factor_verify"), {"code": code_for(secret, steps_ahead=1), "next": "/leden/"})
    assert later.session.session_key != before_code
    assert later.get("/leden/").status_code == 200


def test_a_second_session_cannot_enrol_over_a_confirmed_app(abd_user):
    first, second = Client(), Client()
    password_login(first, abd_user)
    password_login(second, abd_user)
    secret_second = shown_secret(second)
    enrol(first)
    answer = second.post(reverse("second_factor_enrol"), {"code": code_for(secret_second), "next": "/leden/"})
    assert answer.status_code == 302 and answer.url.startswith(reverse("second_factor_verify"))
    assert TOTPDevice.objects.filter(user=abd_user).count() == 1


def test_the_admin_shows_no_secret_and_resets_the_second_factor_with_a_reason(abd_user, admin_user):
    client = Client()
    password_login(client, abd_user)
    enrol(client)
    device = TOTPDevice.objects.get(user=abd_user)
    admin = Client()
    admin.force_login(admin_user)
    index = admin.get(reverse("admin:index")).text
    assert "otp_totp" not in index and "otp_static" not in index
    assert admin.get("/beheer/otp_totp/totpdevice/").status_code == 404
    user_page = admin.get(reverse("admin:auth_user_change", args=[abd_user.pk])).text
    assert device.key not in user_page
    reset_url = reverse("admin:auth_user_second_factor_reset", args=[abd_user.pk])
    assert reset_url in user_page
    refused = admin.post(reset_url, {"change_reason": ""})
    assert refused.status_code == 200 and TOTPDevice.objects.filter(user=abd_user).exists()
    done = admin.post(reset_url, {"change_reason": "Telefoon verloren, telefonisch bevestigd"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=abd_user).exists()
    assert not StaticDevice.objects.filter(user=abd_user).exists()
    row = abd_user.history.latest()
    assert row.history_user == admin_user
    assert row.history_change_reason == "Tweede factor hersteld: Telefoon verloren, telefonisch bevestigd"
    history = admin.get(reverse("access_history")).text
    assert "Telefoon verloren" in history
    again = Client()
    password_login(again, abd_user)
    assert again.get("/leden/").url.startswith(reverse("second_factor_enrol"))


def test_the_admin_does_not_show_a_calendar_token(abd_user, admin_user):
    from appointments.services import calendar_feed_renew

    feed = calendar_feed_renew(user=abd_user)
    admin = Client()
    admin.force_login(admin_user)
    page = admin.get(reverse("admin:appointments_calendarfeed_change", args=[feed.pk])).text
    assert feed.token not in page
