"""Documents on the file: a PDF attached to a dossier, an extension, a search period or a
side activity; its type read from the content, a size limit, downloads within the file's scope as an
attachment, every upload and replacement in the history with its reason, nothing deleted."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from appointments import services
from appointments.models import Document
from tests.factories import AppointmentFactory, FunctionFactory
from tests.pdfs import pdf_with_attachment, pdf_with_javascript, pdf_with_launch_action, plain_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 11, 23))]

PDF = plain_pdf()
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def upload(client, target, pk, content=PDF, name="ondertekend-kb.pdf", **data):
    fields = {"kind": "signed_kb", "title": "Ondertekend KB", "reason": "Retour van het Kabinet"} | data
    return client.post(
        reverse("appointments:document_upload", args=[target, pk]),
        fields | {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_a_pdf_on_the_dossier_is_listed_downloaded_as_attachment_and_in_the_history(
    abd_client, abd_user, appointment_x
):
    response = upload(abd_client, "dossier", appointment_x.pk)
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.member, document.appointment, document.version) == (
        appointment_x.member,
        appointment_x,
        1,
    )
    page = abd_client.get(reverse("appointments:appointment_detail", args=[appointment_x.pk])).text
    assert "Ondertekend KB" in page and reverse("appointments:document_download", args=[document.pk]) in page

    download = abd_client.get(reverse("appointments:document_download", args=[document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="ondertekend-kb-v1.pdf"'
    assert b"".join(download.streaming_content) == PDF

    [row] = document.history.all()
    assert (row.history_user, row.history_change_reason) == (abd_user, "Retour van het Kabinet")
    history = abd_client.get(reverse("appointments:member_history", args=[appointment_x.member.pk])).text
    assert "Retour van het Kabinet" in history


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (PNG, "scan.pdf", "Het bestand is geen PDF-document"),
        (b"", "leeg.pdf", "Het verstuurde bestand is leeg."),
        (b"%PDF-1.7 afgebroken zonder einde", "half.pdf", "Het bestand is geen PDF-document"),
        (b"%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n", "html.pdf", "geen PDF-document"),
        (pdf_with_javascript(), "script.pdf", "De PDF bevat actieve inhoud"),
        (pdf_with_launch_action(), "start.pdf", "De PDF bevat actieve inhoud"),
        (pdf_with_attachment(), "bijlage.pdf", "De PDF bevat actieve inhoud"),
    ],
)
def test_the_type_is_read_from_the_content_and_bad_files_save_nothing(
    abd_client, appointment_x, content, name, message
):
    response = upload(abd_client, "dossier", appointment_x.pk, content=content, name=name)
    assert response.status_code == 400
    assert message in response.text
    assert not Document.objects.exists()


def test_a_pdf_with_another_name_is_a_pdf_and_a_file_over_the_limit_is_refused(
    abd_client, appointment_x, settings
):
    assert upload(abd_client, "dossier", appointment_x.pk, name="scan.txt").status_code == 302
    settings.TMG_DOCUMENT_MAX_BYTES = 2_000_000
    big = PDF[:20] + b"0" * 2_100_000 + PDF[20:]
    response = upload(abd_client, "dossier", appointment_x.pk, content=big, name="groot.pdf")
    assert response.status_code == 400
    assert "Het bestand is 2,1 MB; ten hoogste 2 MB is toegestaan." in response.text
    assert Document.objects.count() == 1


def test_a_careless_form_keeps_what_was_typed_and_says_what_is_missing(abd_client, appointment_x):
    response = abd_client.post(
        reverse("appointments:document_upload", args=["dossier", appointment_x.pk]),
        {"kind": "voordracht", "title": "Voordrachtsbrief", "reason": ""},
    )
    assert response.status_code == 400
    assert "Kies het PDF-bestand om te uploaden." in response.text
    assert 'value="Voordrachtsbrief"' in response.text
    assert not Document.objects.exists()


def test_downloads_and_uploads_follow_the_scope_of_the_file(abd_client, appointment_x, office_x, office_y):
    upload(abd_client, "dossier", appointment_x.pk)
    document = Document.objects.get()
    url = reverse("appointments:document_download", args=[document.pk])
    own, other, anonymous = Client(), Client(), Client()
    own.force_login(office_x)
    other.force_login(office_y)
    assert own.get(url).status_code == 200
    assert other.get(url).status_code == 404
    assert anonymous.get(url).status_code == 302
    assert upload(own, "dossier", appointment_x.pk).status_code == 403
    assert upload(abd_client, "onbekend", appointment_x.pk).status_code == 404
    assert Document.objects.count() == 1


def test_a_replacement_is_a_new_version_and_the_old_one_stays(abd_client, abd_user, appointment_x):
    upload(abd_client, "dossier", appointment_x.pk)
    first = Document.objects.get()
    second_pdf = plain_pdf("Betere scan")
    response = abd_client.post(
        reverse("appointments:document_replace", args=[first.pk]),
        {"file": SimpleUploadedFile("nieuw.pdf", second_pdf), "reason": "Betere scan"},
    )
    assert response.status_code == 302
    second = Document.objects.get(supersedes=first)
    assert (second.version, second.title, second.appointment) == (2, first.title, appointment_x)
    assert second.history.get().history_change_reason == "Vervangt versie 1: Betere scan"
    page = abd_client.get(reverse("appointments:appointment_detail", args=[appointment_x.pk])).text
    assert reverse("appointments:document_download", args=[second.pk]) in page
    assert "vorige versie" in page
    assert (
        b"".join(abd_client.get(reverse("appointments:document_download", args=[first.pk])).streaming_content)
        == PDF
    )

    again = abd_client.post(
        reverse("appointments:document_replace", args=[first.pk]),
        {"file": SimpleUploadedFile("nog-een.pdf", PDF), "reason": "Dubbel"},
    )
    assert again.status_code == 400 and "al vervangen" in again.text
    assert Document.objects.count() == 2


def test_documents_on_an_extension_a_search_period_and_a_side_activity(abd_client, abd_user, appointment_x):
    extension = services.extension_propose(
        user=abd_user,
        appointment=appointment_x,
        reason_code="continuity",
        motivation="Continuïteit",
        proposed_end=date(2030, 1, 1),
    )
    assert (
        upload(
            abd_client, "verlenging", extension.pk, kind="voordracht", title="Voordracht verlenging"
        ).status_code
        == 302
    )
    activity = services.side_activity_report(
        user=abd_user,
        member=appointment_x.member,
        organisation="Stichting Document",
        role="lid raad van toezicht",
        is_paid=False,
        start=date(2026, 1, 1),
        reported_on=date(2026, 1, 1),
    )
    assert (
        upload(abd_client, "nevenwerkzaamheid", activity.pk, kind="report", title="Melding").status_code
        == 302
    )
    assert "Melding" in abd_client.get(reverse("appointments:side_activity_detail", args=[activity.pk])).text

    finished = AppointmentFactory(
        in_function=True,
        start_date=date(2019, 1, 1),
        function=FunctionFactory(ministry=appointment_x.function.ministry),
    )
    ended = services.search_period_start(
        user=abd_user, appointment=services.appointment_end(user=abd_user, appointment=finished)
    )
    assert (
        upload(abd_client, "zoektermijn", ended.pk, kind="other", title="Afspraken zoektermijn").status_code
        == 302
    )
    attached = {d.title: d.attached_to for d in Document.objects.all()}
    assert attached == {
        "Voordracht verlenging": "verlenging",
        "Melding": "nevenwerkzaamheid",
        "Afspraken zoektermijn": "zoektermijn",
    }


def test_an_upload_sent_twice_makes_one_document(abd_client, appointment_x):
    page = abd_client.get(reverse("appointments:document_upload", args=["dossier", appointment_x.pk]))
    token = page.context["form"]["submission"].value()
    first = upload(abd_client, "dossier", appointment_x.pk, submission=token)
    again = upload(abd_client, "dossier", appointment_x.pk, submission=token)
    assert first.status_code == again.status_code == 302 and first.url == again.url
    assert Document.objects.count() == 1
