"""Model-KB decisions as PDF: the text read back from the PDF, versions, signing, the safe URL
fetcher and the monthly batch [Circulaire model-KB 1999]."""

import io
import logging
import os
import subprocess
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.urls import reverse
from PIL import Image, ImageChops
from pypdf import PdfReader

from appointments import kb, services
from appointments.models import KBDocument
from appointments.models.kb import KBIntegrityError
from salaries.loaders import load_pay_tables
from salaries.services import placement_create
from tests.factories import AppointmentFactory, FunctionFactory, MemberFactory, approved_extension
from tests.pdfs import plain_pdf
from tmgportal.system import system_user

pytestmark = pytest.mark.django_db


def pdf_text(document: KBDocument) -> str:
    data = document.pdf_bytes()
    assert kb.sha256(data) == document.sha256
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture
def dossier(abd_user, ministry_x):
    load_pay_tables(user=system_user())
    member = MemberFactory(surname="Voorbeeld", prefix="van der", initials="J.A.")
    appointment = AppointmentFactory(
        in_function=True,
        member=member,
        start_date=date(2022, 1, 1),
        proposal_date=date(2021, 10, 1),
        proposal_reference="2021-0000123",
        function=FunctionFactory(
            ministry=ministry_x, title="directeur-generaal", organisation="DG Proefbeleid"
        ),
    )
    placement_create(
        user=abd_user,
        member=member,
        appointment=appointment,
        valid_from=date(2022, 1, 1),
        step=3,
        motivation="Ervaring",
    )
    return appointment


def granted_extension(dossier, abd_user, office_x, *, proposed_end=date(2031, 1, 1)):
    """An extension approved by the office and granted by KB, every fact of its KB recorded."""
    extension = approved_extension(dossier, proposer=abd_user, office=office_x, proposed_end=proposed_end)
    return services.extension_record_kb(
        user=abd_user,
        extension=extension,
        proposal_date=date(2026, 6, 15),
        proposal_reference="2026-0000777",
        council_date=date(2026, 6, 15),
        kb_date=date(2026, 6, 15),
        kb_number="KB-V-1",
    ).extensions.get(pk=extension.pk)


def ended_with_kb(dossier, abd_user):
    """Terminated on 1 July 2025, the search period started and the KB of the ending recorded."""
    ended = services.appointment_terminate_early(
        user=abd_user, appointment=dossier, date=date(2025, 7, 1), reason="Vertrek"
    )
    ended = services.search_period_start(user=abd_user, appointment=ended).appointment
    return services.appointment_record_ending_kb(
        user=abd_user,
        appointment=ended,
        proposal_date=date(2025, 6, 1),
        proposal_reference="2025-0000555",
        kb_date=date(2025, 6, 20),
        kb_number="KB-O-1",
    )


def test_appointment_kb_carries_the_dossier_to_the_letter(abd_user, dossier):
    document = services.kb_generate(
        amount_checked=True, user=abd_user, appointment=dossier, kind="appointment"
    )
    text = pdf_text(document)
    for expected in [
        "houdende de aanstelling van J.A. van der Voorbeeld",
        "Wij Willem-Alexander, bij de gratie Gods, Koning der Nederlanden",
        "Onze Minister van Binnenlandse Zaken en Koninkrijksrelaties van 1 oktober 2021, nr. 2021-0000123",
        "gedaan in overeenstemming met Onze Minister van Ministerie van Proefzaken X",
        "Gelet op hoofdstuk 17 van de CAO Rijk en artikel 7.4 van het Algemeen Rijksambtenarenreglement",
        "Hebben goedgevonden en verstaan",
        "Artikel 1",
        "arbeidsovereenkomst aangegaan als lid van de Topmanagementgroep",
        "met ingang van 1 januari 2022 benoemd in de functie van directeur-generaal, DG Proefbeleid",
        "de laatste dag in de functie is 31 december 2028",
        "schaal 19, trede 3, met een salaris van € 9.117,64 per maand",
        "belast met de uitvoering van dit besluit",
        "’s-Gravenhage",
        "pagina 1 van",
    ]:
        assert expected in text, expected
    assert document.dossier_state["step"] == 3 and document.created_by == abd_user


def test_extension_and_ending_kbs(abd_user, office_x, dossier):
    extension = approved_extension(dossier, proposer=abd_user, office=office_x, proposed_end=date(2031, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.kb_generate(
            amount_checked=True, user=abd_user, appointment=dossier, kind="extension", extension=extension
        )
    assert "datum van het besluit, nummer van het besluit, datum van de voordracht" in str(refused.value)
    assert not KBDocument.objects.exists()
    extension = services.extension_record_kb(
        user=abd_user,
        extension=extension,
        proposal_date=date(2026, 6, 15),
        proposal_reference="2026-0000777",
        council_date=date(2026, 6, 15),
        kb_date=date(2026, 6, 15),
        kb_number="KB-V-1",
    ).extensions.get(pk=extension.pk)
    text = pdf_text(
        services.kb_generate(
            amount_checked=True, user=abd_user, appointment=dossier, kind="extension", extension=extension
        )
    )
    assert (
        "Besluit van 15 juni 2026, nr. KB-V-1, houdende de verlenging van de benoeming van J.A. van der Voorbeeld"
        in text
    )
    assert "van 15 juni 2026, nr. 2026-0000777" in text
    assert "eindigt met ingang van 1 januari 2031 in plaats van 1 januari 2029" in text
    assert "laatste dag in de functie is 31 december 2030" in text

    with pytest.raises(ValidationError, match="niet worden gemaakt"):
        services.kb_generate(amount_checked=True, user=abd_user, appointment=dossier, kind="ending")
    ended_with_kb(dossier, abd_user)
    text = pdf_text(
        services.kb_generate(amount_checked=True, user=abd_user, appointment=dossier, kind="ending")
    )
    assert "Besluit van 20 juni 2025, nr. KB-O-1" in text and "van 1 juni 2025, nr. 2025-0000555" in text
    assert "houdende het ontslag van J.A. van der Voorbeeld" in text
    assert "met ingang van 1 juli 2025 eervol ontheven uit de functie van directeur-generaal" in text
    assert "zoektermijn in; deze eindigt met ingang van 1 juli 2027, de laatste dag is 30 juni 2027" in text


def test_a_changed_dossier_makes_a_new_version_and_a_signed_kb_never_changes(abd_user, dossier):
    first = services.kb_generate(amount_checked=True, user=abd_user, appointment=dossier, kind="appointment")
    signed = services.kb_mark_signed(
        user=abd_user, document=first, reason="Getekend", scan=plain_pdf(), scan_name="kb.pdf"
    )
    assert (
        services.kb_generate(amount_checked=True, user=abd_user, appointment=dossier, kind="appointment")
        == first
    )
    assert KBDocument.objects.count() == 1  # unchanged dossier: the same version, no new file
    services.member_update(
        user=abd_user, member=dossier.member, expected_version=dossier.member.version, initials="J.A.M."
    )
    second = services.kb_generate(amount_checked=True, user=abd_user, appointment=dossier, kind="appointment")
    assert (second.version, second.supersedes) == (2, first) and second.sha256 != first.sha256
    signed.sha256 = "f" * 64
    with pytest.raises(ValidationError, match="getekend KB kan niet meer veranderen"):
        signed.save()
    with pytest.raises(ValidationError, match="al als getekend gemarkeerd"):
        services.kb_mark_signed(
            user=abd_user, document=first, reason="nogmaals", scan=plain_pdf(), scan_name="kb.pdf"
        )
    first.refresh_from_db()
    assert pdf_text(first)  # the older version stays downloadable, its hash unchanged


def test_member_name_cannot_smuggle_markup_or_fetch_anything(abd_user, dossier, caplog):
    member = dossier.member
    member.surname = '<img src="file:///etc/passwd"><a href="http://example.com/x">x</a>'
    member.save()
    dossier.refresh_from_db()
    html = kb.render_html(kb.kb_text(dossier, "appointment"), for_pdf=True)
    assert (
        '<img src="file:///etc/passwd">' not in html
        and "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    )
    assert '<a href="http://example.com/x">' not in html
    with caplog.at_level(logging.WARNING, logger="appointments.kb"):
        document = services.kb_generate(
            amount_checked=True, user=abd_user, appointment=dossier, kind="appointment"
        )
    assert not [r for r in caplog.records if "refused" in r.getMessage()]
    assert '<img src="file:///etc/passwd">' in pdf_text(document)  # printed as text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.css",
        "https://example.com/x.css",
        kb.BASE_URL + "static/../../etc/passwd",
        kb.BASE_URL + "media/kb/1.pdf",
    ],
)
def test_url_fetcher_serves_only_the_apps_static_files(url):
    with pytest.raises(ValueError, match=r"^(Refused|No static file): "):
        kb.StaticOnlyFetcher().fetch(url)


def test_url_fetcher_serves_a_static_file():
    response = kb.StaticOnlyFetcher().fetch(kb.BASE_URL + "static/css/kb.css")
    assert b"@page" in response.read()


def test_dossier_page_generates_previews_and_downloads(abd_client, dossier):
    preview = abd_client.get(reverse("appointments:kb_preview", args=[dossier.pk, "appointment"]))
    assert "houdende de aanstelling van J.A. van der Voorbeeld" in preview.text
    response = abd_client.post(
        reverse("appointments:kb_generate", args=[dossier.pk, "appointment"]), {"bedrag_gecontroleerd": "1"}
    )
    assert response.status_code == 302
    document = KBDocument.objects.get()
    page = abd_client.get(reverse("appointments:appointment_detail", args=[dossier.pk])).text
    assert reverse("appointments:kb_download", args=[document.pk]) in page
    download = abd_client.get(reverse("appointments:kb_download", args=[document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_batch_of_the_month_as_one_zip(abd_client, abd_user, office_x, dossier):
    extension = granted_extension(dossier, abd_user, office_x)
    month = extension.decided_at.strftime("%Y-%m")
    page = abd_client.get(reverse("appointments:kb_batch"), {"maand": month})
    assert dossier.member.full_name in page.text and 'id="kb-progress"' in page.text
    assert abd_client.get(reverse("appointments:kb_batch"), {"maand": "2026-13"}).status_code == 400
    # The 2017 scale amount is old: each KB needs the box ticked (the page shows it once per table).
    assert page.text.count('name="bedrag_gecontroleerd"') == 1
    unchecked = abd_client.post(reverse("appointments:kb_batch_item", args=[extension.pk]))
    assert unchecked.status_code == 400 and "bevestig dat het nog geldt" in unchecked.json()["error"]
    response = abd_client.post(
        reverse("appointments:kb_batch"), {"maand": month, "bedrag_gecontroleerd": "1"}
    )
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == ["KB-verlenging-Van-Der-Voorbeeld-2026-06-15-v1.pdf"]
    item = abd_client.post(
        reverse("appointments:kb_batch_item", args=[extension.pk]), {"bedrag_gecontroleerd": "1"}
    ).json()
    archive = abd_client.get(reverse("appointments:kb_batch_zip"), {"kb": [item["id"]]})
    # Nothing changed: the batch uses the final version it already made.
    assert zipfile.ZipFile(io.BytesIO(archive.content)).namelist() == names
    assert KBDocument.objects.count() == 1


REFERENCE = Path(__file__).parent / "kb_reference"
# A page matches its reference when at most 0.02% of its pixels (about 30 at 40 dpi) differ by more
# than a quarter of the grey scale: room for anti-aliasing noise, none for a changed word (a date
# changes about 100 pixels) or a moved line. The fonts are vendored, so renders are stable.
CHANGED_LEVEL, CHANGED_SHARE = 64, 0.0002


def kb_of_kind(kind, abd_user, office_x, dossier):
    if kind == "appointment":
        return services.kb_generate(
            amount_checked=True, user=abd_user, appointment=dossier, kind="appointment"
        )
    if kind == "extension":
        extension = granted_extension(dossier, abd_user, office_x)
        return services.kb_generate(
            amount_checked=True, user=abd_user, appointment=dossier, kind="extension", extension=extension
        )
    ended_with_kb(dossier, abd_user)
    return services.kb_generate(amount_checked=True, user=abd_user, appointment=dossier, kind="ending")


def rendered_pages(document, folder) -> list[Image.Image]:
    """pdftoppm (poppler), as a person would look at the PDF: grey, 40 dpi, every page."""
    path = folder / "kb.pdf"
    path.write_bytes(document.pdf_bytes())
    subprocess.run(["pdftoppm", "-gray", "-png", "-r", "40", str(path), str(folder / "page")], check=True)
    return [Image.open(path).convert("L") for path in sorted(folder.glob("page-*.png"))]


def changed_share(page: Image.Image, reference: Image.Image) -> float:
    if page.size != reference.size:
        return 1.0
    histogram = ImageChops.difference(page, reference).histogram()
    return sum(histogram[CHANGED_LEVEL:]) / (page.size[0] * page.size[1])


@pytest.mark.parametrize("kind", ["appointment", "extension", "ending"])
def test_each_kind_renders_like_its_reference_pages(kind, abd_user, office_x, dossier, tmp_path):
    """Set TMG_WRITE_KB_REFERENCE=1 to write new references after a deliberate layout change, then
    look at them (tests/appointments/kb_reference/) before committing."""
    pages = rendered_pages(kb_of_kind(kind, abd_user, office_x, dossier), tmp_path)
    if os.environ.get("TMG_WRITE_KB_REFERENCE") == "1":
        for old in REFERENCE.glob(f"{kind}-*.png"):
            old.unlink()
        for number, page in enumerate(pages, start=1):
            page.save(REFERENCE / f"{kind}-{number}.png")
    references = sorted(REFERENCE.glob(f"{kind}-*.png"))
    assert len(pages) == len(references), f"{kind}: {len(pages)} pages, reference has {len(references)}"
    for number, (page, path) in enumerate(zip(pages, references, strict=True), start=1):
        share = changed_share(page, Image.open(path).convert("L"))
        assert share <= CHANGED_SHARE, f"{kind} page {number}: {share:.2%} of the pixels changed"


# -- Final only when complete, archival, one version per state ------------


def test_the_preview_marks_what_is_missing_and_final_is_refused_until_it_is_recorded(
    abd_client, abd_user, office_x, dossier
):
    extension = approved_extension(dossier, proposer=abd_user, office=office_x, proposed_end=date(2031, 1, 1))
    preview = abd_client.get(
        reverse("appointments:kb_preview", args=[dossier.pk, "extension"]), {"verlenging": extension.pk}
    ).text
    assert (
        "[ontbreekt: datum van het besluit]" in preview
        and "[ontbreekt: kenmerk van de voordracht]" in preview
    )
    assert "[datum]" not in preview and "[kenmerk]" not in preview
    page = abd_client.get(reverse("appointments:appointment_detail", args=[dossier.pk])).text
    assert "Nog niet definitief te maken" in page and "nummer van het besluit" in page


def test_without_a_placement_no_kb_prints_a_scale_and_none_becomes_final(abd_user, abd_client, ministry_x):
    appointment = AppointmentFactory(
        in_function=True,
        proposal_date=date(2021, 10, 1),
        proposal_reference="2021-1",
        function=FunctionFactory(ministry=ministry_x),
    )
    preview = abd_client.get(reverse("appointments:kb_preview", args=[appointment.pk, "appointment"])).text
    assert (
        "trede 0" not in preview
        and "[ontbreekt: inschaling (schaal en trede) in het salarisdossier]" in preview
    )
    with pytest.raises(ValidationError, match="inschaling"):
        services.kb_generate(amount_checked=True, user=abd_user, appointment=appointment, kind="appointment")
    assert not KBDocument.objects.exists()


def test_a_final_kb_is_pdf_a_with_language_and_title_and_named_after_the_member(abd_user, dossier):
    document = services.kb_generate(
        amount_checked=True, user=abd_user, appointment=dossier, kind="appointment"
    )
    reader = PdfReader(io.BytesIO(document.pdf_bytes()))
    xmp = reader.xmp_metadata
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("3", "A")
    assert xmp.dc_title["x-default"] == "Besluit houdende de aanstelling van J.A. van der Voorbeeld"
    assert reader.trailer["/Root"]["/Lang"] == "nl" and "/StructTreeRoot" in reader.trailer["/Root"]
    assert document.filename == "KB-benoeming-Van-Der-Voorbeeld-2021-12-01-v1.pdf"
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    descriptors = [
        (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
        for font in fonts
    ]
    assert fonts and all(any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")) for d in descriptors)
    assert all(d["/FontFamily"] == "Source Sans 3" for d in descriptors)
    assert "[CAO17" not in pdf_text(document) and "Bronnen" not in pdf_text(document)


def test_a_missing_font_stops_the_kb_instead_of_falling_back(abd_user, dossier, monkeypatch):
    real = kb._static_file
    monkeypatch.setattr(kb, "_static_file", lambda name: None if name.endswith(".woff2") else real(name))
    with pytest.raises(ValidationError, match="kon niet worden gelezen"):
        services.kb_generate(amount_checked=True, user=abd_user, appointment=dossier, kind="appointment")
    assert not KBDocument.objects.exists()


def test_a_kb_made_in_a_transaction_that_rolls_back_leaves_nothing_behind(
    abd_user, dossier, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(RuntimeError), transaction.atomic():
        services.kb_generate(amount_checked=True, user=abd_user, appointment=dossier, kind="appointment")
        raise RuntimeError("the request failed after the KB was made")
    assert not KBDocument.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_a_stored_pdf_that_no_longer_matches_its_hash_is_not_handed_out(abd_client, abd_user, dossier):
    document = services.kb_generate(
        amount_checked=True, user=abd_user, appointment=dossier, kind="appointment"
    )
    with connection.cursor() as cursor:  # damage below the ORM, as a disk or a careless hand would
        cursor.execute(
            f"UPDATE {KBDocument._meta.db_table} SET content = %s WHERE id = %s",
            [b"%PDF-1.7 other", document.pk],
        )
    response = abd_client.get(reverse("appointments:kb_download", args=[document.pk]))
    assert response.status_code == 409 and "SHA-256" in response.content.decode()
    with pytest.raises(KBIntegrityError):
        KBDocument.objects.get(pk=document.pk).pdf_bytes()


@pytest.mark.django_db(transaction=True)
def test_two_generations_at_once_make_one_version(abd_user, dossier):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    services.member_update(
        user=abd_user, member=dossier.member, expected_version=dossier.member.version, initials="J.B."
    )
    results = []

    def generate():
        try:
            results.append(
                services.kb_generate(
                    amount_checked=True, user=abd_user, appointment=dossier, kind="appointment"
                ).pk
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=generate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2 and len(set(results)) == 1
    assert KBDocument.objects.count() == 1


def test_marking_a_kb_signed_takes_the_signed_scan_in_the_same_step(abd_client, abd_user, dossier):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from appointments.models import Document

    document = services.kb_generate(
        amount_checked=True, user=abd_user, appointment=dossier, kind="appointment"
    )
    url = reverse("appointments:kb_sign", args=[document.pk])
    refused = abd_client.post(url, {"reason": "Getekend retour"})
    assert refused.status_code == 200 and "Voeg de scan van het ondertekende KB toe" in refused.text
    document.refresh_from_db()
    assert document.signed_at is None and not Document.objects.exists()
    done = abd_client.post(
        url,
        {"reason": "Getekend retour", "scan": SimpleUploadedFile("kb-getekend.pdf", plain_pdf("getekend"))},
    )
    assert done.status_code == 302
    document.refresh_from_db()
    scan = Document.objects.get()
    assert document.signed_at and (scan.kind, scan.appointment) == ("signed_kb", dossier)
    assert scan.title.startswith("Ondertekend KB")
    page = abd_client.get(reverse("appointments:appointment_detail", args=[dossier.pk])).text
    assert reverse("appointments:document_download", args=[scan.pk]) in page
    assert document.history.latest().history_change_reason == scan.history.get().history_change_reason
