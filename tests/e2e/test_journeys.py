"""The journeys of every role through a real browser."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from appointments.models import Appointment, Function, Member, Ministry
from salaries.services import placement_create
from tests.e2e.conftest import totp_code
from tests.factories import abd_staff_user, office_user
from tests.pdfs import plain_pdf

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def world(db):
    call_command("load_reference_data", verbosity=0)
    fin = Ministry.objects.get(abbreviation="FIN")
    jenv = Ministry.objects.get(abbreviation="JenV")
    return {
        "abd": abd_staff_user("e2e-abd"),
        "fin": office_user(fin, "e2e-bureau-fin"),
        "jenv": office_user(jenv, "e2e-bureau-jenv"),
        "function": Function.objects.get(title="thesaurier-generaal"),
    }


def fill_reason(page, text="E2E-journey"):
    page.fill("#id_reason", text)


def test_a_member_from_appointment_to_public_register(visitors, world, live_server):
    staff = visitors("abd")
    staff.log_in("e2e-abd", PASSWORD)

    # ABD staff create the member file.
    staff.visit(reverse("appointments:member_create"))
    page = staff.page
    page.fill("#id_initials", "R.E.")
    page.fill("#id_first_name", "Reina")
    page.fill("#id_surname", "Eindtoets")
    page.fill("#id_date_of_birth", "1970-03-14")
    staff.submit()
    member = Member.objects.get(surname="Eindtoets")

    # ... record the appointment up to the KB and taking office.
    staff.visit(reverse("appointments:appointment_create", args=[member.pk]))
    page.select_option("#id_function", str(world["function"].pk))
    page.fill("#id_start_date", "2021-01-01")
    fill_reason(page)
    staff.submit()
    appointment = Appointment.objects.get(member=member)
    steps = [
        ("voordragen", {"#id_proposal_date": "2020-10-01", "#id_proposal_reference": "2020-E2E"}),
        ("ministerraad", {"#id_council_date": "2020-11-06"}),
        ("kb", {"#id_kb_date": "2020-12-01", "#id_kb_number": "KB-E2E-1"}),
        ("in-functie", {}),
    ]
    for action, fields in steps:
        staff.visit(reverse("appointments:appointment_action", args=[appointment.pk, action]))
        for selector, value in fields.items():
            page.fill(selector, value)
        fill_reason(page)
        staff.submit()
    appointment.refresh_from_db()
    assert appointment.status == "in_function"

    # ... and propose an extension of two years.
    staff.visit(reverse("appointments:appointment_action", args=[appointment.pk, "verlenging-voorstellen"]))
    page.select_option("#id_reason_code", "continuity")
    page.fill("#id_motivation", "Continuïteit van de bedrijfsvoering")
    page.fill("#id_proposed_end", "2029-12-31")  # the last day: 9 years in the function
    fill_reason(page)
    staff.submit()
    extension = appointment.extensions.get()

    # The office of another ministry does not see the member at all.
    other = visitors("bureau-jenv")
    other.log_in("e2e-bureau-jenv", PASSWORD)
    other.visit(reverse("appointments:member_list"))
    assert "Eindtoets" not in other.page.content()
    response = other.page.goto(live_server.url + reverse("appointments:member_detail", args=[member.pk]))
    assert response.status == 404

    # The office of the ministry approves it.
    office = visitors("bureau-fin")
    office.log_in("e2e-bureau-fin", PASSWORD)
    office.visit(reverse("appointments:extension_inbox"))
    assert "wachten op u" in office.page.inner_text("nav")  # the menu counts what waits for the office
    office.click(f"a[href='{reverse('appointments:extension_decide', args=[extension.pk])}']")
    office.page.check("input[name=decision][value=approve]")
    office.submit()
    extension.refresh_from_db()
    assert extension.status == "approved"

    # The rotation forecast, reached from the menu: until the extension's KB the term ends on
    # 31 December 2027 and may still be extended; the other ministry's office does not see it.
    office.click("nav a[href='/prognose/']")
    row = office.page.locator("tr", has_text="R.E. Eindtoets")
    assert "K4 2027" in row.inner_text() and "verlenging mogelijk" in row.inner_text()
    assert office.page.locator("svg[role=img] rect.bar-possible").count() >= 1
    assert office.page.locator("table caption", has_text="Per kwartaal").count() == 1
    other.visit(reverse("appointments:forecast"))
    assert "Eindtoets" not in other.page.content()

    # ABD records the extension's KB, the salary placement is on file, and the KB is made final.
    staff.visit(reverse("appointments:appointment_action", args=[appointment.pk, "verlenging-kb"]))
    for selector, value in {
        "#id_proposal_date": "2026-06-15",
        "#id_proposal_reference": "2026-E2E-V",
        "#id_council_date": "2026-06-15",
        "#id_kb_date": "2026-06-15",
        "#id_kb_number": "KB-E2E-V",
    }.items():
        page.fill(selector, value)
    fill_reason(page)
    staff.submit()
    placement_create(
        user=abd_staff_user("e2e-salaris"),
        member=member,
        appointment=appointment,
        valid_from=date(2021, 1, 1),
        step=0,
    )
    staff.visit(reverse("appointments:appointment_detail", args=[appointment.pk]))
    # The 2017 scale amount is older than 12 months: the KB asks for the check before it is final.
    page.check("form[action*='/kb/extension/maken/'] input[name=bedrag_gecontroleerd]")
    staff.click("form[action*='/kb/extension/maken/'] button")
    with page.expect_download() as download_info:
        page.click("a[href*='/kb/'][href$='/download/']")
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # The start page's work queue lists the KB to mark signed; its row opens the form, and once the
    # KB is marked signed the row is gone.
    document = appointment.kb_documents.get(kind="extension")
    sign_url = reverse("appointments:kb_sign", args=[document.pk])
    staff.visit(reverse("appointments:dashboard"))
    assert "Wacht op u" in page.content()
    staff.click(f"#queue-heading ~ div a[href='{sign_url}']")
    # Marking it signed takes the scan of the signed KB in the same step; the dossier lists it.
    page.set_input_files(
        "#id_scan", files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": plain_pdf()}]
    )
    staff.submit()
    document.refresh_from_db()
    assert document.signed_at is not None
    assert (
        page.locator("#documents-heading ~ div a[href$='/download/']", has_text="Ondertekend KB").count() == 1
    )
    staff.visit(reverse("appointments:dashboard"))
    assert sign_url not in page.content()

    # A side activity is reported, assessed and published.
    staff.visit(reverse("appointments:side_activity_create", args=[member.pk]))
    page.fill("#id_organisation", "Stichting Eindtoets")
    page.fill("#id_role", "voorzitter")
    page.fill("#id_start", "2024-01-01")
    staff.submit()
    activity = member.side_activities.get()
    staff.visit(reverse("appointments:side_activity_assess", args=[activity.pk]))
    page.check("input[name=assessment][value=permitted]")
    page.fill("#id_motivation", "Geen belangenverstrengeling")
    staff.submit()
    staff.visit(reverse("appointments:side_activity_list") + "?publication=undecided")
    page.check(f"#publish-{activity.pk}")
    page.fill("#id_reason", "Publicatie")
    staff.submit("main form[method=post] button.btn-primary")
    activity.refresh_from_db()
    assert activity.publication == "published"

    # Extended to the 9-year maximum (31 December 2029): the term no longer ends in the 12 quarters.
    staff.visit(reverse("appointments:forecast") + f"?ministry={world['function'].ministry_id}")
    assert "Eindtoets" not in page.content()

    # The member's file as staff read it: pay, history, the KB preview and the pay tables.
    for path in (
        reverse("salaries:member_pay", args=[member.pk]),
        reverse("appointments:member_history", args=[member.pk]),
        reverse("appointments:kb_preview", args=[appointment.pk, "appointment"]),
        reverse("salaries:table_list"),
        reverse("salaries:wnt_overview") + "?jaar=2024",
        reverse("appointments:kb_batch"),
    ):
        staff.visit(path)

    # An anonymous visitor finds it on the public register.
    public = visitors("publiek")
    public.visit(reverse("public_register"))
    public.page.fill("#naam", "Eindtoets")
    public.click("main form button[type=submit]")
    text = public.page.content()
    assert "R.E. Eindtoets" in text and "Stichting Eindtoets" in text
    assert "Geen belangenverstrengeling" not in text


def test_main_forms_work_with_the_keyboard_alone(visitors, world):
    staff = visitors("toetsenbord")
    staff.log_in("e2e-abd", PASSWORD)
    staff.visit(reverse("appointments:member_create"))
    page = staff.page
    for _ in range(60):  # Tab from the top of the page to the first field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_initials":
            break
    assert page.evaluate("document.activeElement.id") == "id_initials"
    page.keyboard.type("K.B.")
    page.keyboard.press("Tab")
    page.keyboard.type("Kees")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # no surname prefix
    page.keyboard.type("Toetsenbord")
    page.keyboard.press("Tab")
    # A date field's segments follow the browser's own locale: find the order, then type the date.
    page.keyboard.type("01021999")
    month_first = page.evaluate("document.activeElement.value") == "1999-01-02"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("03141970" if month_first else "14031970")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    staff.check()
    member = Member.objects.get(surname="Toetsenbord")
    assert (member.first_name, member.date_of_birth) == ("Kees", date(1970, 3, 14))

    # The skip link is the first stop and moves focus to the content.
    staff.visit(reverse("appointments:dashboard"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Direct naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_second_factor_enrolment_and_a_later_login_with_a_code_by_keyboard(visitors, world):
    staff = visitors("tweede-factor")
    staff.log_in("e2e-abd", PASSWORD)  # enrolment: QR code, typed key, first code, recovery codes
    assert staff.page.url.endswith(reverse("home")) or "/dashboard/" in staff.page.url
    staff.click("form[action='/uitloggen/'] button[type=submit]")

    staff.visit("/inloggen/")
    page = staff.page
    page.fill("#id_username", "e2e-abd")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/tweede-factor/" in page.url
    staff.check()
    app = staff.apps["e2e-abd"]
    app[1] += 1
    # The code field has the focus: type the code and press Enter, no mouse.
    page.keyboard.type(totp_code(app[0], steps_ahead=app[1] - 1))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    staff.check()
    assert "/tweede-factor/" not in page.url and page.locator("h1").count() == 1


def test_a_flemish_mandate_from_appointment_to_end_in_the_browser(visitors, world):
    """Issue 19: the function's catalogue entry names the Flemish regime; the dossier runs on the same
    screens with its own marks (6-year mandate, evaluation by its end, 18 years at most) and ends
    without a search period; the comparison page shows both regimes."""
    staff = visitors("vlaams")
    staff.log_in("e2e-abd", PASSWORD)
    page = staff.page
    function = Function.objects.create(
        title="secretaris-generaal",
        organisation="Departement Proefzaken",
        ministry=world["function"].ministry,
        group="A",
        regime="vlaams",
        source="E2E",
    )
    member = Member.objects.create(surname="Mandaat", initials="V.", date_of_birth=date(1972, 4, 2))
    staff.visit(reverse("appointments:appointment_create", args=[member.pk]))
    page.select_option("#id_function", str(function.pk))
    page.fill("#id_start_date", "2019-05-01")
    fill_reason(page)
    staff.submit()
    appointment = Appointment.objects.get(member=member)
    assert appointment.term_end == date(2025, 5, 1)  # a mandate of 6 years
    for action, fields in [
        ("voordragen", {"#id_proposal_date": "2019-02-01", "#id_proposal_reference": "VL-1"}),
        ("ministerraad", {"#id_council_date": "2019-03-01"}),
        ("kb", {"#id_kb_date": "2019-04-01", "#id_kb_number": "BVR-E2E-1"}),
        ("in-functie", {"#id_late_motivation": "Dossier achteraf ingevoerd"}),
    ]:
        staff.visit(reverse("appointments:appointment_action", args=[appointment.pk, action]))
        for selector, value in fields.items():
            if page.locator(selector).count():
                page.fill(selector, value)
        fill_reason(page)
        staff.submit()
    staff.visit(reverse("appointments:appointment_detail", args=[appointment.pk]))
    text = page.inner_text("main")
    assert "Evaluatie aan het einde van het mandaat" in text and "30 april 2037" in text
    assert "Vlaamse topkader-mandaten" in text and "Eindevaluatie vastleggen" in text

    staff.visit(reverse("appointments:appointment_action", args=[appointment.pk, "beeindigen"]))
    fill_reason(page)
    staff.submit()
    appointment.refresh_from_db()
    assert appointment.status == "ended"
    assert "/zoektermijn-starten/" not in page.content()

    staff.visit(reverse("appointments:regime_comparison") + "?start=2019-05-01")
    text = page.inner_text("main")
    assert "30 april 2025" in text and "30 april 2026" in text and "Terugkeer naar de graad" in text
