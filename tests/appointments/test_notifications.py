"""E-mail notifications: the office hears of a proposed extension, ABD staff of the
office's decision, the maker of a KB of its signing — through a real SMTP server started here, once
per event, as each person chose on the profile page."""

import hashlib
import io
import socket
from datetime import date
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from appointments import services
from appointments.models import KBDocument, Notification
from tests.factories import AppointmentFactory, FunctionFactory, abd_staff_user, office_user
from tests.pdfs import plain_pdf
from tmgportal.history import save_tracked

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 11, 23))]


class Mailbox:
    """An SMTP handler that keeps what it receives: (recipients, subject, body)."""

    def __init__(self):
        self.received = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 Try again later"
        message = message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(message["Subject"])))
        body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
        self.received.append((list(envelope.rcpt_tos), subject, body))
        return "250 OK"

    def to(self, address):
        return [(subject, body) for recipients, subject, body in self.received if address in recipients]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.TMG_BASE_URL = "https://tmg.voorbeeld.invalid"
    yield mailbox
    controller.stop()


@pytest.fixture
def people(abd_user, office_x, office_y):
    for user, address in ((abd_user, "abd@voorbeeld.invalid"), (office_x, "x@voorbeeld.invalid")):
        user.email = address
        user.save()
    office_y.email = "y@voorbeeld.invalid"
    office_y.save()
    return abd_user, office_x, office_y


def _propose(abd_user, ministry):
    return services.extension_propose(
        user=abd_user,
        appointment=AppointmentFactory(
            in_function=True, start_date=date(2021, 1, 1), function=FunctionFactory(ministry=ministry)
        ),
        reason_code="continuity",
        motivation="Continuïteit",
        proposed_end=date(2030, 1, 1),
    )


def test_a_proposed_extension_reaches_only_its_office_once(
    smtp, people, ministry_x, django_capture_on_commit_callbacks
):
    abd_user, office_x, office_y = people
    with django_capture_on_commit_callbacks(execute=True):
        extension = _propose(abd_user, ministry_x)
    [(subject, body)] = smtp.to("x@voorbeeld.invalid")
    name = extension.appointment.member.full_name
    assert subject.startswith("Verlenging voorgesteld: " + name)
    assert "tot en met 31 december 2029" in body
    assert (
        "https://tmg.voorbeeld.invalid" + reverse("appointments:extension_decide", args=[extension.pk])
        in body
    )
    assert smtp.to("y@voorbeeld.invalid") == []
    assert smtp.to("abd@voorbeeld.invalid") == [], "the person who proposed is not told of it"

    call_command("send_notifications", stdout=io.StringIO())
    assert len(smtp.received) == 1, "the daily run sends nothing that was already sent"
    row = Notification.objects.get(recipient=office_x)
    assert row.sent_at is not None
    assert row.history.count() == 2


def test_the_office_decision_reaches_abd_staff_and_a_signed_kb_its_maker(
    smtp, people, ministry_x, django_capture_on_commit_callbacks
):
    abd_user, office_x, _ = people
    colleague = abd_staff_user("collega")
    colleague.email = "collega@voorbeeld.invalid"
    colleague.save()
    extension = _propose(abd_user, ministry_x)
    with django_capture_on_commit_callbacks(execute=True):
        services.extension_decide(user=office_x, extension=extension, approve=False, remarks="Geen budget")
    for address in ("abd@voorbeeld.invalid", "collega@voorbeeld.invalid"):
        [(subject, body)] = smtp.to(address)
        assert subject.startswith("Verlenging afgewezen")
        assert "Geen budget" in body

    # A KB as kb_generate leaves it (its own tests cover how it is made).
    document = KBDocument.objects.create(
        appointment=AppointmentFactory(in_function=True),
        kind="appointment",
        version=1,
        content=b"%PDF-1.7",
        sha256=hashlib.sha256(b"%PDF-1.7").hexdigest(),
        dossier_state={"status": "in_function"},
        created_by=colleague,
        created_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.kb_mark_signed(
            user=abd_user, document=document, reason="getekend retour", scan=plain_pdf(), scan_name="kb.pdf"
        )
    [(subject, _)] = smtp.to("collega@voorbeeld.invalid")[1:]
    assert subject.startswith("KB ondertekend")


def test_the_daily_digest_bundles_and_never_is_never(
    smtp, people, ministry_x, office_x_client, django_capture_on_commit_callbacks
):
    abd_user, office_x, _ = people
    response = office_x_client.post(
        reverse("appointments:profile"),
        {"extension_proposed": "daily", "extension_decided": "never", "kb_signed": "never"},
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        _propose(abd_user, ministry_x)
        _propose(abd_user, ministry_x)
    assert smtp.received == [], "a digest waits for the daily run"
    call_command("send_notifications", stdout=io.StringIO())
    call_command("send_notifications", stdout=io.StringIO())
    [(subject, body)] = smtp.to("x@voorbeeld.invalid")
    assert subject == "tmgportal: dagelijks overzicht (2)"
    assert body.count("stelt voor de termijn") == 2

    office_x_client.post(
        reverse("appointments:profile"),
        {"extension_proposed": "never", "extension_decided": "never", "kb_signed": "never"},
    )
    _propose(abd_user, ministry_x)
    assert Notification.objects.filter(recipient=office_x).count() == 2


def test_a_refused_delivery_stays_queued_and_goes_out_on_the_next_run(
    smtp, people, ministry_x, django_capture_on_commit_callbacks
):
    abd_user, office_x, _ = people
    smtp.refuse = True
    with django_capture_on_commit_callbacks(execute=True):
        _propose(abd_user, ministry_x)
    assert Notification.objects.get(recipient=office_x).sent_at is None
    smtp.refuse = False
    call_command("send_notifications", stdout=io.StringIO())
    assert len(smtp.to("x@voorbeeld.invalid")) == 1
    assert Notification.objects.get(recipient=office_x).sent_at is not None


def test_a_careless_preference_form_is_refused_in_dutch_and_changes_nothing(office_x_client, office_x):
    response = office_x_client.post(reverse("appointments:profile"), {"extension_proposed": "weekly"})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert "Kies hoe u dit bericht wilt ontvangen." in response.content.decode()
    assert not office_x.notification_preferences.exists()


def test_the_digest_checks_scope_and_activity_when_it_is_sent(
    smtp, people, ministry_x, ministry_y, office_x_client, office_x, django_capture_on_commit_callbacks
):
    """A digest went to a user moved to another ministry, with the old ministry's member names, and
    to deactivated users: who may read what is decided at sending time."""
    abd_user, _, _ = people
    office_x_client.post(
        reverse("appointments:profile"),
        {"extension_proposed": "daily", "extension_decided": "never", "kb_signed": "never"},
    )
    colleague = office_user(ministry_x, username="bureau-x-2")
    colleague.email = "x2@voorbeeld.invalid"
    save_tracked(colleague, user=abd_user, reason="test")
    services.notification_preferences_set(
        user=colleague,
        frequencies={"extension_proposed": "daily", "extension_decided": "never", "kb_signed": "never"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        extension = _propose(abd_user, ministry_x)
    name = extension.appointment.member.full_name
    profile = office_x.office_profile
    profile.ministry = ministry_y
    save_tracked(profile, user=abd_user, reason="Overgeplaatst naar Y")
    colleague.is_active = False
    save_tracked(colleague, user=abd_user, reason="Uit dienst")

    call_command("send_notifications", stdout=io.StringIO())

    assert smtp.received == []
    assert all(name not in body for _, _, body in smtp.received)
    rows = Notification.objects.filter(recipient__in=[office_x, colleague])
    assert rows.count() == 2
    assert all(row.withheld_at and not row.sent_at for row in rows)


def test_a_notification_can_be_read_on_the_recipients_profile_page(people, ministry_x, office_x_client):
    abd_user, _, _ = people
    extension = _propose(abd_user, ministry_x)
    page = office_x_client.get(reverse("appointments:profile")).text
    assert "Uw meldingen" in page and extension.appointment.member.full_name in page
    assert "wacht op verzending" in page or "gemaild op" in page
