"""Documents on the file: a signed KB scan, a voordracht letter, a side-activity report.
Stored in the database like the KBs [docs/storage.md]; never changed and never deleted: a
replacement is a new version that supersedes the one before."""

import hashlib
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from tmgportal import roles
from tmgportal.history import AppendOnlyHistory
from tmgportal.validation import PlausibleFieldsMixin

from .dossier import Appointment
from .extension import Extension
from .member import Member
from .search_period import SearchPeriod
from .side_activity import SideActivity

PDF_HEADER = b"%PDF-"
PDF_TRAILER = b"%%EOF"
# Where the header and the end-of-file marker may lie: PDF readers accept some bytes before the
# header and after the last %%EOF (ISO 32000-1, 7.5.2 and 7.5.5; implementation notes of readers).
PDF_SLACK = 1024


def size_problem(size: int, *, max_bytes: int) -> str | None:
    if not size:
        return _("The file is empty.")
    if size > max_bytes:
        return _("The file is %(size)s MB; at most %(max)s MB is accepted.") % {
            "size": f"{size / 1_000_000:.1f}".replace(".", ","),
            "max": max_bytes // 1_000_000,
        }
    return None


# What a document on a file never needs and a reader may run or open by itself: scripts, programs to
# launch, forms that send data, embedded files and media (ISO 32000-1, 12.6 actions, 7.11 embedded
# file streams, 13.2 multimedia; XFA forms).
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"})
ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/Rendition"}
)


def _is_active(value, seen: set) -> bool:
    """Whether a PDF object holds active content, looking into its direct dictionaries and arrays
    (every indirect object is visited on its own by `_active_content`)."""
    if id(value) in seen or isinstance(value, IndirectObject):
        return False
    seen.add(id(value))
    if isinstance(value, DictionaryObject):
        if (
            ACTIVE_KEYS & set(value)
            or value.get("/S") in ACTIVE_ACTIONS
            or value.get("/Type") == "/EmbeddedFile"
        ):
            return True
        return any(_is_active(child, seen) for child in value.values())
    if isinstance(value, ArrayObject):
        return any(_is_active(child, seen) for child in value)
    return False


def _active_content(reader: PdfReader) -> bool:
    numbers = {(number, generation) for generation, table in reader.xref.items() for number in table}
    numbers |= {(number, 0) for number in reader.xref_objStm}
    seen: set = set()
    for number, generation in sorted(numbers):
        if _is_active(reader.get_object(IndirectObject(number, generation, reader)), seen):
            return True
    return _is_active(reader.trailer, seen)


def pdf_problem(content: bytes, *, max_bytes: int) -> str | None:
    """Why `content` is not accepted as a PDF document, or None. The type is read from the content,
    never from the file name: a PDF starts with "%PDF-", ends with "%%EOF", and between them is a
    PDF that pypdf reads, strictly, with at least one page and no active content."""
    problem = size_problem(len(content), max_bytes=max_bytes)
    if problem:
        return problem
    not_a_pdf = _("The file is not a PDF document (whatever its name says). Upload a PDF.")
    if PDF_HEADER not in content[:PDF_SLACK] or PDF_TRAILER not in content[-PDF_SLACK:]:
        return not_a_pdf
    try:
        reader = PdfReader(io.BytesIO(content), strict=True)
        if reader.is_encrypted or not len(reader.pages):
            return not_a_pdf
        active = _active_content(reader)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return not_a_pdf
    if active:
        return _(
            "The PDF contains active content (a script, an action that starts a program or sends data, "
            "or an embedded file). Upload a plain PDF, for example a scan or a PDF printed again."
        )
    return None


class DocumentKind(models.TextChoices):
    SIGNED_KB = "signed_kb", gettext_lazy("signed KB (scan)")
    VOORDRACHT = "voordracht", gettext_lazy("voordracht letter")
    REPORT = "report", gettext_lazy("side-activity report")
    OTHER = "other", gettext_lazy("other document")


class DocumentQuerySet(models.QuerySet):
    def for_user(self, user):
        """The file's scoping rule, as for the dossier or side activity it belongs to."""
        return roles.scope(user, self, member="member", dossier="appointment")

    def current(self):
        return self.filter(superseded_by__isnull=True)


class DocumentManager(models.Manager.from_queryset(DocumentQuerySet)):
    """Lists never need the file itself: it is read only to download."""

    def get_queryset(self):
        return super().get_queryset().defer("content")


class Document(PlausibleFieldsMixin, models.Model):
    Kind = DocumentKind

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="documents", verbose_name=gettext_lazy("member")
    )
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=gettext_lazy("appointment"),
    )
    extension = models.ForeignKey(
        Extension,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=gettext_lazy("extension"),
    )
    search_period = models.ForeignKey(
        SearchPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=gettext_lazy("search period"),
    )
    side_activity = models.ForeignKey(
        SideActivity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=gettext_lazy("side activity"),
    )
    kind = models.CharField(gettext_lazy("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(gettext_lazy("title"), max_length=200)
    content = models.BinaryField(gettext_lazy("PDF"))
    sha256 = models.CharField(gettext_lazy("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(gettext_lazy("size in bytes"))
    original_name = models.CharField(gettext_lazy("file name at upload"), max_length=255)
    version = models.PositiveIntegerField(gettext_lazy("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=gettext_lazy("replaces"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("uploaded by"),
    )
    uploaded_at = models.DateTimeField(gettext_lazy("uploaded at"))
    # The content never changes (checked in save); its hash is in every history row.
    history = AppendOnlyHistory(excluded_fields=["content"])
    objects = DocumentManager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = gettext_lazy("document")
        verbose_name_plural = gettext_lazy("documents")
        constraints = [
            # On a dossier (and then perhaps on one of its extensions or its search period), or on a
            # side activity: never both, never neither.
            models.CheckConstraint(
                condition=(Q(appointment__isnull=False) & Q(side_activity__isnull=True))
                | (
                    Q(appointment__isnull=True)
                    & Q(side_activity__isnull=False)
                    & Q(extension__isnull=True)
                    & Q(search_period__isnull=True)
                ),
                name="document_on_one_file_part",
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"

    def save(self, *args, **kwargs):
        """The content is the PDF its hash names, and never changes once stored."""
        data = bytes(self.content)
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise ValidationError(_("The document's content does not match its SHA-256."))
        if self.pk:
            stored = Document.objects.filter(pk=self.pk).values_list("sha256", flat=True).first()
            if stored and stored != self.sha256:
                raise ValidationError(_("A stored document never changes; upload a replacement instead."))
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.appointment_id and self.appointment.member_id != self.member_id:
            errors["appointment"] = _("The dossier belongs to another member.")
        if self.side_activity_id and self.side_activity.member_id != self.member_id:
            errors["side_activity"] = _("The side activity belongs to another member.")
        if self.extension_id and self.extension.appointment_id != self.appointment_id:
            errors["extension"] = _("The extension belongs to another dossier.")
        if self.search_period_id and self.search_period.appointment_id != self.appointment_id:
            errors["search_period"] = _("The search period belongs to another dossier.")
        if errors:
            raise ValidationError(errors)

    def pdf_bytes(self) -> bytes:
        data = bytes(self.content)
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise ValidationError(_("The stored document does not match its SHA-256."))
        return data

    @property
    def filename(self) -> str:
        return f"{slugify(self.title) or 'document'}-v{self.version}.pdf"

    @property
    def attached_to(self) -> str:
        if self.extension_id:
            return _("extension")
        if self.search_period_id:
            return _("search period")
        if self.side_activity_id:
            return _("side activity")
        return _("dossier")
