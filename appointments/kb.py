"""Model-KB decisions [domain §10]: the text from the dossier, rendered to PDF by WeasyPrint.

WeasyPrint fetches nothing but the app's own static files (`StaticOnlyFetcher`): no network, no
file:// elsewhere. Everything from the dossier reaches the template as text, autoescaped."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import rules
from .models import Appointment, Extension, KBDocument

logger = logging.getLogger(__name__)

# The base URL the KB HTML is rendered against; only URLs under it are served, from static files.
BASE_URL = "https://kb.tmgportal.invalid/"


class StaticOnlyFetcher(URLFetcher):
    """Serves `BASE_URL` + STATIC_URL paths from the app's static files; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols=("https",), fail_on_errors=False)

    def fetch(self, url, headers=None):
        prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if not url.startswith(prefix) or ".." in url:
            logger.warning("KB rendering refused to fetch %s", url)
            raise ValueError(f"Refused: {url}")
        path = _static_file(url.removeprefix(prefix).split("?")[0])
        if path is None:
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


@dataclass(frozen=True)
class KBText:
    kind: str
    appointment: Appointment
    extension: Extension | None
    is_first_appointment: bool
    scale: int
    step: int
    monthly_amount: object
    legal_basis: rules.Cited

    @property
    def title_phrase(self) -> str:
        return rules.KB_TITLE_PHRASES[self.kind]

    @property
    def decision_date(self):
        if self.kind == KBDocument.Kind.EXTENSION and self.extension:
            return self.extension.kb_date
        return self.appointment.kb_date if self.kind == KBDocument.Kind.APPOINTMENT else None

    @property
    def proposal_date(self):
        """The dossier records the voordracht of the appointment only; for an extension or an ending
        the KB leaves date and number blank for staff to fill in."""
        return self.appointment.proposal_date if self.kind == KBDocument.Kind.APPOINTMENT else None

    @property
    def proposal_reference(self) -> str:
        return self.appointment.proposal_reference if self.kind == KBDocument.Kind.APPOINTMENT else ""

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
    def ending_date(self) -> date:
        return self.appointment.end


def kb_text(appointment: Appointment, kind: str, extension: Extension | None = None) -> KBText:
    from salaries.models import Placement  # salaries depends on appointments, not the other way round
    from salaries.pay import TableSet
    from salaries.rules import NoAmountInForce, scale_for_group

    placement = (
        Placement.objects.filter(appointment=appointment).order_by("-valid_from").first()
        if kind != KBDocument.Kind.APPOINTMENT
        else Placement.objects.filter(appointment=appointment).order_by("valid_from").first()
    )
    scale = placement.scale if placement else scale_for_group(appointment.function.group).value
    step = placement.step if placement else 0  # step 0 unless a step is chosen [BBRA 6]
    on = placement.valid_from if placement else appointment.start_date
    try:
        amount = (
            TableSet.current().scale_amount(scale, step, placement.excellence if placement else 0, on).value
        )
    except NoAmountInForce:
        amount = None
    earlier = Appointment.objects.filter(member=appointment.member, start_date__lt=appointment.start_date)
    return KBText(
        kind=kind,
        appointment=appointment,
        extension=extension,
        is_first_appointment=not earlier.exclude(status__in=[rules.CONCEPT, rules.PROPOSED]).exists(),
        scale=scale,
        step=step,
        monthly_amount=amount,
        legal_basis=rules.kb_legal_basis(
            on=appointment.start_date, is_transition_2017=appointment.is_transition_2017
        ),
    )


def render_html(text: KBText, *, for_pdf: bool) -> str:
    with translation.override("nl"):
        return render_to_string("kb/decision.html", {"kb": text, "for_pdf": for_pdf})


def html_to_pdf(html: str) -> bytes:
    """Any of the app's print documents; only its own static files can be fetched."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()


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
    }
    if text.extension:
        state |= {
            "extension_id": text.extension.pk,
            "extension_version": text.extension.version,
            "proposed_end": text.extension.proposed_end.isoformat(),
        }
    return state
