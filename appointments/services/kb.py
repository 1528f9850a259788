"""Model-KB decisions [Circulaire model-KB 1999]: generated versions and their signing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tmgportal.history import save_tracked

from .. import rules
from ..models import (
    Appointment,
    Document,
    Extension,
    KBDocument,
)
from . import notifications
from .documents import document_upload


def kb_kinds_available(appointment: Appointment) -> list[tuple[str, Extension | None]]:
    """Which KBs the dossier can produce now: the appointment always (a draft until signed), each
    extension once the office approved it, the ending once the appointment has ended."""
    kinds: list[tuple[str, Extension | None]] = [(KBDocument.Kind.APPOINTMENT, None)]
    for extension in appointment.extensions.filter(
        status__in=[Extension.Status.APPROVED, Extension.Status.KB_RECORDED]
    ):
        kinds.append((KBDocument.Kind.EXTENSION, extension))
    if appointment.status in rules.ENDED_STATES:
        kinds.append((KBDocument.Kind.ENDING, None))
    return kinds


@transaction.atomic
def kb_generate(
    *,
    user,
    appointment: Appointment,
    kind: str,
    extension: Extension | None = None,
    amount_checked: bool = False,
) -> KBDocument:
    """Make the KB final: render it from the dossier as it is now and archive it with its SHA-256,
    who made it, when and the dossier state it came from. Refused while a fact it prints is not
    recorded. With the dossier unchanged since the last version that version is returned: no new
    row, no new file. Older versions stay; a new one supersedes the last. The appointment row is
    locked, so two requests at once make one version. A salary amount from a table that may have been
    overtaken (salaries.rules.may_be_outdated) needs `amount_checked`, recorded on the version."""
    from .. import kb

    appointment = (
        Appointment.objects.select_for_update()
        .select_related("member", "function__ministry")
        .get(pk=appointment.pk)
    )
    if (kind, extension) not in kb_kinds_available(appointment):
        raise ValidationError(_("This KB cannot be made from the dossier in its present state."))
    text = kb.kb_text(appointment, kind, extension)
    if text.missing:
        raise ValidationError(
            _("This KB cannot be made final: record first %(facts)s.") % {"facts": ", ".join(text.missing)}
        )
    state = kb.dossier_state(text)
    previous = (
        KBDocument.objects.filter(appointment=appointment, kind=kind, extension=extension)
        .order_by("-version")
        .first()
    )
    if previous and previous.dossier_state == state:
        return previous
    amount_check = ""
    if text.amount_outdated:
        since = date_format(text.amount_outdated.since, "j F Y")
        if not amount_checked:
            raise ValidationError(
                _(
                    "The salary amount comes from the %(name)s of %(since)s, older than 12 months: "
                    "confirm that it still applies before making the KB final."
                )
                % {"name": text.amount_outdated.name, "since": since}
            )
        amount_check = _("Checked by %(user)s: the amount of the %(name)s of %(since)s still applies.") % {
            "user": user.get_full_name() or user.get_username(),
            "name": text.amount_outdated.name,
            "since": since,
        }
    try:
        data = kb.render_pdf(text)
    except kb.KBResourceMissing as exc:
        raise ValidationError(
            _("The KB was not made: a file it needs could not be read (%(files)s). Ask the administrator.")
            % {"files": exc}
        ) from exc
    document = KBDocument(
        appointment=appointment,
        extension=extension,
        kind=kind,
        version=previous.version + 1 if previous else 1,
        sha256=kb.sha256(data),
        dossier_state=state,
        created_by=user,
        created_at=timezone.now(),
        supersedes=previous,
        amount_check=amount_check,
    )
    document.content = data
    return save_tracked(
        document,
        user=user,
        reason=" ".join(
            filter(None, [_("KB made final (version %(v)s).") % {"v": document.version}, amount_check])
        ),
    )


@transaction.atomic
def kb_mark_signed(*, user, document: KBDocument, reason: str, scan: bytes, scan_name: str) -> KBDocument:
    """The KB came back signed: this version never changes from now on (a correction is a new
    version that supersedes it), and the signed scan goes on the file in the same step, so the KB
    made here, the dossier's documents and the history say the same thing."""
    current = KBDocument.objects.select_for_update().select_related("appointment__member").get(pk=document.pk)
    if current.is_signed:
        raise ValidationError(_("This KB is already marked as signed."))
    current.signed_at = timezone.now()
    current.signed_by = user
    save_tracked(current, user=user, reason=reason)
    document_upload(
        user=user,
        member=current.appointment.member,
        appointment=current.appointment,
        extension=current.extension,
        kind=Document.Kind.SIGNED_KB,
        title=_("Signed KB: %(kind)s, version %(version)s")
        % {
            "kind": current.get_kind_display(),
            "version": current.version,
        },
        content=scan,
        original_name=scan_name,
        reason=reason,
    )
    notifications.kb_signed(actor=user, document=current)
    return current
