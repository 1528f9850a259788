"""Generated model-KB decisions: every version kept with its SHA-256, its author and the dossier
state it came from [Circulaire model-KB 1999]."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from tmgportal import roles
from tmgportal.history import AppendOnlyHistory
from tmgportal.validation import PlausibleFieldsMixin

from .dossier import Appointment
from .extension import Extension


class KBKind(models.TextChoices):
    APPOINTMENT = "appointment", _("appointment")
    EXTENSION = "extension", _("extension")
    ENDING = "ending", _("ending and search period")


class KBDocumentQuerySet(models.QuerySet):
    def for_user(self, user):
        return roles.scope(user, self, member="appointment__member", dossier="appointment")


class KBDocumentManager(models.Manager.from_queryset(KBDocumentQuerySet)):
    """Lists and pages never need the PDF itself: it is read only to download (`pdf_bytes`)."""

    def get_queryset(self):
        return super().get_queryset().defer("content")


FILE_KIND = {KBKind.APPOINTMENT: "benoeming", KBKind.EXTENSION: "verlenging", KBKind.ENDING: "ontslag"}


class KBIntegrityError(Exception):
    """The stored PDF no longer has the SHA-256 recorded when it was made."""


class KBDocument(PlausibleFieldsMixin, models.Model):
    Kind = KBKind

    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="kb_documents", verbose_name=_("appointment")
    )
    extension = models.ForeignKey(
        Extension,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kb_documents",
        verbose_name=_("extension"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KBKind.choices)
    version = models.PositiveIntegerField(_("version"))
    # The PDF itself, in the database: a small legal act that every application server reads, that the
    # database backup takes along, and that a rolled-back transaction takes away [docs/storage.md].
    content = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    dossier_state = models.JSONField(
        _("dossier state"), help_text=_("The dossier fields the KB was made from.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("made by")
    )
    created_at = models.DateTimeField(_("made at"))
    signed_at = models.DateTimeField(_("marked signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked signed by"),
    )
    amount_check = models.CharField(
        _("amount check"),
        max_length=300,
        blank=True,
        help_text=_(
            "Recorded when the salary amount came from a table older than 12 months: who confirmed "
            "that it still applies."
        ),
    )
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    # The content never changes (checked in save); its hash is in every history row.
    history = AppendOnlyHistory(excluded_fields=["content"])
    objects = KBDocumentManager()

    class Meta:
        ordering = ["appointment", "kind", "-version"]
        verbose_name = _("KB decision")
        verbose_name_plural = _("KB decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind", "extension", "version"], name="kb_one_per_version"
            ),
            # NULLs are distinct in a unique index: the KBs without an extension need their own.
            models.UniqueConstraint(
                fields=["appointment", "kind", "version"],
                condition=Q(extension__isnull=True),
                name="kb_one_per_version_without_extension",
            ),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | Q(signed_by__isnull=False), name="kb_signed_by_someone"
            ),
        ]

    def __str__(self):
        return f"KB {self.get_kind_display()} {self.appointment.member} v{self.version}"

    def save(self, *args, **kwargs):
        """The content is the PDF its hash names; a signed KB never changes: it can only be
        superseded by a new version."""
        if self.pk:
            stored = KBDocument.objects.filter(pk=self.pk).values("sha256", "signed_at").first()
            if (
                stored
                and stored["signed_at"]
                and (stored["sha256"] != self.sha256 or self.signed_at != stored["signed_at"])
            ):
                raise ValidationError(_("A signed KB cannot be changed; generate a new version instead."))
        if hashlib.sha256(bytes(self.content)).hexdigest() != self.sha256:
            raise KBIntegrityError(f"KB {self.pk}: content does not match its SHA-256")
        super().save(*args, **kwargs)

    def pdf_bytes(self) -> bytes:
        """The PDF as archived, checked against its SHA-256 on every read."""
        data = bytes(self.content)
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise KBIntegrityError(f"KB {self.pk}: stored PDF does not match its SHA-256")
        return data

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def filename(self) -> str:
        """Named after the member, the kind and the decision date, e.g.
        KB-verlenging-De-Vries-2026-03-01-v2.pdf."""
        member = self.appointment.member
        name = slugify(f"{member.prefix} {member.surname}".strip()).title() or "onbekend"
        day = (self.dossier_state or {}).get("decision_date") or timezone.localdate(
            self.created_at
        ).isoformat()
        return f"KB-{FILE_KIND[self.kind]}-{name}-{day}-v{self.version}.pdf"
