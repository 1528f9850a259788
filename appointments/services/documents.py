"""Documents on the file: upload and replacement, each with who and why in the history; nothing is
deleted."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tmgportal.history import save_tracked

from ..models import Document
from ..models.documents import pdf_problem


def _checked(content: bytes) -> bytes:
    problem = pdf_problem(content, max_bytes=settings.TMG_DOCUMENT_MAX_BYTES)
    if problem:
        raise ValidationError({"file": problem})
    return content


def _new_document(*, user, content: bytes, original_name: str, **fields) -> Document:
    content = _checked(content)
    return Document(
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        original_name=original_name[:255],
        uploaded_by=user,
        uploaded_at=timezone.now(),
        **fields,
    )


@transaction.atomic
def document_upload(
    *,
    user,
    member,
    kind: str,
    title: str,
    content: bytes,
    original_name: str,
    reason: str,
    appointment=None,
    extension=None,
    search_period=None,
    side_activity=None,
) -> Document:
    """Attach a PDF to a dossier (or one of its extensions or its search period) or to a side
    activity of `member`."""
    document = _new_document(
        user=user,
        content=content,
        original_name=original_name,
        member=member,
        appointment=appointment,
        extension=extension,
        search_period=search_period,
        side_activity=side_activity,
        kind=kind,
        title=title,
    )
    return save_tracked(document, user=user, reason=reason)


@transaction.atomic
def document_replace(
    *, user, document: Document, content: bytes, original_name: str, reason: str
) -> Document:
    """A new version that supersedes `document`; the old version stays and can still be downloaded.
    Two replacements at once: the row is locked and the second is refused."""
    current = Document.objects.select_for_update().get(pk=document.pk)
    if Document.objects.filter(supersedes=current).exists():
        raise ValidationError(_("This document has already been replaced; reload the page."))
    replacement = _new_document(
        user=user,
        content=content,
        original_name=original_name,
        member=current.member,
        appointment=current.appointment,
        extension=current.extension,
        search_period=current.search_period,
        side_activity=current.side_activity,
        kind=current.kind,
        title=current.title,
        version=current.version + 1,
        supersedes=current,
    )
    return save_tracked(
        replacement,
        user=user,
        reason=_("Replaces version %(version)s: %(reason)s") % {"version": current.version, "reason": reason},
    )
