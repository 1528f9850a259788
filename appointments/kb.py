"""Model-KB decisions [Circulaire model-KB 1999]: the text from the dossier, rendered to PDF by WeasyPrint.

WeasyPrint fetches nothing but the app's own static files (`StaticOnlyFetcher`): no network, no
file:// elsewhere. Everything from the dossier reaches the template as text, autoescaped."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import rules
from .models import Appointment, Extension, KBDocument

logger = logging.getLogger(__name__)


class OutdatedAmount(Protocol):
    """What the KB needs of a salary table that may have been overtaken (salaries.pay.OutdatedTable)."""

    since: date

    @property
    def name(self) -> str: ...


# Archival (PDF/A-3, level a: tagged, with language and title).
PDF_VARIANT = "pdf/a-3a"
# The base URL the KB HTML is rendered against; only URLs under it are served, from static files.
BASE_URL = "https://kb.tmgportal.invalid/"


class StaticOnlyFetcher(URLFetcher):
    """Serves `BASE_URL` + STATIC_URL paths from the app's static files; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols=("https",), fail_on_errors=False)
        self.failed: list[str] = []

    def fetch(self, url, headers=None):
        prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if not url.startswith(prefix) or ".." in url:
            logger.warning("KB rendering refused to fetch %s", url)
            self.failed.append(url)
            raise ValueError(f"Refused: {url}")
        name = url.removeprefix(prefix).split("?")[0]
        path = _static_file(name)
        if path is None:
            self.failed.append(name)
            raise ValueError(f"No static file: {url}")
        return URLFetcherResponse(url, Path(path).read_bytes(), headers={"Content-Type": _content_type(path)})


def _static_file(name: str):
    """The collected file (hashed names, as in production), else the app's source file."""
    root = Path(settings.STATIC_ROOT).resolve()
    collected = (root / name).resolve()
    if collected.is_file() and collected.is_relative_to(root):
        return collected
    return finders.find(name)


def _content_type(path) -> str:
    suffix = Path(path).suffix
    return {".css": "text/css", ".woff2": "font/woff2", ".woff": "font/woff", ".png": "image/png"}.get(
        suffix, "application/octet-stream"
    )


class KBResourceMissing(Exception):
    """A file the KB needs (a font, the style sheet) could not be read: no silent fallback."""


# Every fact a KB prints that staff record, with the name the preview and the refusal use.
FACT_LABELS = {
    "decision_date": "datum van het besluit",
    "decision_number": "nummer van het besluit",
    "proposal_date": "datum van de voordracht",
    "proposal_reference": "kenmerk van de voordracht",
    "placement": "inschaling (schaal en trede) in het salarisdossier",
    "monthly_amount": "salarisbedrag uit de salaristabel",
}


@dataclass(frozen=True)
class KBText:
    kind: str
    appointment: Appointment
    extension: Extension | None
    is_first_appointment: bool
    scale: int | None
    step: int | None
    excellence: int | None
    monthly_amount: object
    legal_basis: rules.Cited
    # The salary table behind `monthly_amount` when it may have been overtaken (salaries.pay.
    # OutdatedTable): shown in the preview, and making the KB final asks for a recorded check.
    amount_outdated: OutdatedAmount | None = None

    @property
    def title_phrase(self) -> str:
        return rules.KB_TITLE_PHRASES[self.kind]

    def _recorded(self, appointment_field, extension_field, ending_field):
        """A fact from the record of this kind of decision: the appointment's own, the
        extension's, or the ending's [Circulaire model-KB 1999]."""
        if self.kind == KBDocument.Kind.EXTENSION:
            return getattr(self.extension, extension_field) if self.extension else None
        if self.kind == KBDocument.Kind.ENDING:
            return getattr(self.appointment, ending_field)
        return getattr(self.appointment, appointment_field)

    @property
    def decision_date(self):
        return self._recorded("kb_date", "kb_date", "ending_kb_date")

    @property
    def decision_number(self) -> str:
        return self._recorded("kb_number", "kb_number", "ending_kb_number") or ""

    @property
    def proposal_date(self):
        return self._recorded("proposal_date", "proposal_date", "ending_proposal_date")

    @property
    def proposal_reference(self) -> str:
        return self._recorded("proposal_reference", "proposal_reference", "ending_proposal_reference") or ""

    @property
    def missing(self) -> list[str]:
        """The facts this KB would print that the dossier does not record: the preview marks them,
        and the KB cannot be made final until they are recorded."""
        facts = {
            "decision_date": self.decision_date,
            "decision_number": self.decision_number,
            "proposal_date": self.proposal_date,
            "proposal_reference": self.proposal_reference,
            "placement": self.scale is not None,
            "monthly_amount": self.monthly_amount is not None or self.scale is None,
        }
        return [FACT_LABELS[name] for name, value in facts.items() if not value]

    @property
    def ministry(self):
        return self.appointment.function.ministry

    @property
    def is_bzk(self) -> bool:
        return self.ministry.name.startswith("Binnenlandse Zaken")

    @property
    def search_period(self):
        return getattr(self.appointment, "search_period", None)

    @property
    def regime_figures(self) -> rules.TermRegime:
        """The months and the payment the ending KB names are those of the dossier's regime."""
        return self.appointment.regime.figures

    @property
    def ending_date(self) -> date:
        return self.appointment.end


def kb_text(
    appointment: Appointment, kind: str, extension: Extension | None = None, *, tables=None
) -> KBText:
    from salaries.models import Placement  # salaries depends on appointments, not the other way round
    from salaries.pay import TableSet
    from salaries.rules import NoAmountInForce

    placements = Placement.objects.filter(appointment=appointment)
    # The salary a KB prints is the one in force on the day the decision takes effect: the placement on
    # appointment, the start of the extended period, the start of the search period.
    if kind == KBDocument.Kind.APPOINTMENT:
        placement = placements.order_by("valid_from").first()
        day = placement.valid_from if placement else None
    else:
        day = extension.current_end if kind == KBDocument.Kind.EXTENSION and extension else appointment.end
        placement = (
            placements.filter(valid_from__lte=day).order_by("-valid_from").first()
            or placements.order_by("-valid_from").first()
        )
        day = max(day, placement.valid_from) if placement else day
    # No placement recorded: the KB names no scale or step and cannot become final (`missing`);
    # it never prints a default such as step 0.
    scale = placement.scale if placement else None
    step = placement.step if placement else None
    amount = outdated = None
    if placement:
        try:
            cited = (tables or TableSet.current()).scale_amount(scale, step, placement.excellence, day)
        except NoAmountInForce:
            cited = None
        amount, outdated = (cited.value, cited.outdated) if cited else (None, None)
    earlier = Appointment.objects.filter(member=appointment.member, start_date__lt=appointment.start_date)
    return KBText(
        kind=kind,
        appointment=appointment,
        extension=extension,
        is_first_appointment=not earlier.exclude(status__in=[rules.CONCEPT, rules.PROPOSED]).exists(),
        scale=scale,
        step=step,
        excellence=placement.excellence if placement else None,
        monthly_amount=amount,
        amount_outdated=outdated,
        legal_basis=rules.kb_legal_basis(
            on=appointment.start_date, is_transition_2017=appointment.is_transition_2017
        ),
    )


def extension_texts(extensions) -> list[KBText]:
    """The extension KB of each extension (for the monthly batch), reading the pay tables once."""
    from salaries.pay import TableSet

    tables = TableSet.current()
    return [kb_text(e.appointment, KBDocument.Kind.EXTENSION, e, tables=tables) for e in extensions]


def texts(appointment: Appointment, kinds) -> list[tuple[str, Extension | None, KBText]]:
    """Each available (kind, extension) with its KB text (what it lacks, whether its amount needs
    a check), reading the pay tables once."""
    from salaries.pay import TableSet

    tables = TableSet.current()
    return [
        (kind, extension, kb_text(appointment, kind, extension, tables=tables)) for kind, extension in kinds
    ]


def render_html(text: KBText, *, for_pdf: bool) -> str:
    with translation.override("nl"):
        return render_to_string("kb/decision.html", {"kb": text, "for_pdf": for_pdf})


def html_to_pdf(html: str) -> bytes:
    """Any of the app's print documents as archival, tagged PDF/A-3a with the document's language
    and title; only its own static files can be fetched, and a file it asks for that cannot be read
    (a font, the style sheet) stops it rather than falling back to another font."""
    fetcher = StaticOnlyFetcher()
    data = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT, pdf_tags=True
    )
    if fetcher.failed:
        raise KBResourceMissing(", ".join(fetcher.failed))
    return data


def render_pdf(text: KBText) -> bytes:
    return html_to_pdf(render_html(text, for_pdf=True))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dossier_state(text: KBText) -> dict:
    a = text.appointment
    state = {
        "appointment_id": a.pk,
        "appointment_version": a.version,
        "status": a.status,
        "member": a.member.full_name,
        "function": str(a.function),
        "start_date": a.start_date.isoformat(),
        "term_end": a.term_end.isoformat(),
        "ended_on": a.ended_on.isoformat() if a.ended_on else None,
        "scale": text.scale,
        "step": text.step,
        "excellence": text.excellence,
        "monthly_amount": str(text.monthly_amount) if text.monthly_amount is not None else None,
        "decision_date": text.decision_date.isoformat() if text.decision_date else None,
        "decision_number": text.decision_number,
        "proposal_date": text.proposal_date.isoformat() if text.proposal_date else None,
        "proposal_reference": text.proposal_reference,
    }
    if text.extension:
        state |= {
            "extension_id": text.extension.pk,
            "extension_version": text.extension.version,
            "proposed_end": text.extension.proposed_end.isoformat(),
        }
    return state
