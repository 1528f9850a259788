"""Every page at a phone's width (390 px) and a desktop's (1280 px): no page wider than
the screen, zero axe violations, a screenshot of each in test-artifacts/e2e/ to look at."""

import pytest
from django.core.management import call_command
from django.urls import resolve, reverse

from appointments.models import Appointment, KBDocument, Member, SideActivity
from salaries.models import TableChange

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)


# Pages the journeys (test_journeys.py) already visit at 1280 px, with the same width and axe checks.
IN_THE_JOURNEYS = {
    "dashboard",
    "appointment_detail",
    "member_history",
    "member_pay",
    "forecast",
    "table_list",
    "wnt_overview",
    "kb_batch",
    "document_upload",
    "appointment_action",
}


def staff_pages():
    member = Member.objects.filter(appointments__extensions__isnull=False).first()
    appointment = Appointment.objects.filter(member=member).order_by("-start_date").first()
    activity = SideActivity.objects.first()
    pages = [
        reverse("appointments:dashboard"),
        reverse("appointments:member_list"),
        reverse("appointments:member_detail", args=[member.pk]),
        reverse("appointments:appointment_detail", args=[appointment.pk]),
        reverse("appointments:member_history", args=[member.pk]),
        reverse("salaries:member_pay", args=[member.pk]),
        reverse("appointments:side_activity_list"),
        reverse("appointments:side_activity_detail", args=[activity.pk]),
        reverse("appointments:function_list"),
        reverse("appointments:function_edit", args=[appointment.function_id]),
        reverse("appointments:side_activity_assess", args=[activity.pk]),
        reverse("appointments:forecast"),
        reverse("appointments:search") + "?q=de",
        reverse("appointments:profile"),
        reverse("appointments:extension_inbox"),
        reverse("salaries:table_list"),
        reverse("salaries:general_increase_create"),
        reverse("salaries:wnt_overview"),
        reverse("salaries:increase_list"),
        reverse("appointments:kb_batch"),
        reverse("appointments:appointment_action", args=[appointment.pk, "tussentijds-beeindigen"]),
        reverse("appointments:document_upload", args=["dossier", appointment.pk]),
    ]
    if KBDocument.objects.exists():
        pages.append(reverse("appointments:kb_sign", args=[KBDocument.objects.first().pk]))
    if TableChange.objects.exists():
        pages.append(reverse("salaries:back_pay_detail", args=[TableChange.objects.first().pk]))
    return pages


def test_every_page_fits_the_screen_without_axe_violations_at_both_widths(visitors, demo):
    """One data load for all: ABD staff, an office and the public, at a phone's width and a desktop's."""
    for width in (390, 1280):
        # The width check reads the page's own width; the screenshots show the first screen.
        staff = visitors(f"breedte-{width}-abd", width, full_page=False)
        staff.log_in("abd", "demo-abd-2026")
        for path in staff_pages():
            if width == 1280 and resolve(path.split("?")[0]).url_name in IN_THE_JOURNEYS:
                continue
            staff.visit(path)
        if width == 390:
            # The menu is behind a button on a phone; opened, it lists the pages.
            menu = staff.page.locator("button.navbar-toggler")
            assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
            menu.click()
            staff.page.locator("#main-menu a[href='/prognose/']").wait_for(state="visible")
            assert menu.get_attribute("aria-expanded") == "true"
            staff.check()
        office = visitors(f"breedte-{width}-bureau", width, full_page=False)
        office.log_in("bureau-fin", "demo-bureau-fin-2026")
        for path in (
            reverse("appointments:extension_inbox"),
            reverse("appointments:forecast"),
            reverse("appointments:member_list"),
        ):
            office.visit(path)
        public = visitors(f"breedte-{width}-publiek", width)
        public_pages = [
            reverse("public_register") + "?letter=B",
            reverse("public_register") + "?weergave=afdrukken",
        ]
        if width == 390:
            public_pages.insert(0, reverse("public_register"))
        for path in public_pages:
            public.visit(path)
