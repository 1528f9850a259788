"""E-mail notifications: recorded once per event and recipient, sent once.

A service that takes a step another person must act on (an office must decide, ABD must make the
KB, the maker of a KB learns it is signed) calls `notify` inside its transaction. The rows are
written with the step, so a refused step leaves none; the e-mails of those who chose "immediately"
go out after the commit, the daily digest by `manage.py send_notifications` (cron). A failed
delivery stays unsent and is retried by that command.
"""

import logging
from functools import wraps

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tmgportal import roles
from tmgportal.history import save_tracked
from tmgportal.locks import lock
from tmgportal.system import system_user

from .. import rules
from ..models import Extension, Member, Notification, NotificationPreference
from ..models.notifications import Frequency, NotificationKind

log = logging.getLogger(__name__)


def frequencies_of(user) -> dict[str, str]:
    """The user's choice per kind; a kind without a stored choice is sent immediately."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind: chosen.get(kind, Frequency.IMMEDIATELY) for kind in NotificationKind.values}


@transaction.atomic
def notification_preferences_set(*, user, frequencies: dict[str, str]) -> int:
    """Store the user's choices; returns how many changed (each change is in the history). The user's
    row is locked, so the same choices sent twice at once make one row per kind."""
    lock(user)
    current = {p.kind: p for p in NotificationPreference.objects.select_for_update().filter(user=user)}
    changed = 0
    for kind, frequency in frequencies.items():
        preference = current.get(kind) or NotificationPreference(user=user, kind=kind)
        if preference.pk and preference.frequency == frequency:
            continue
        if not preference.pk and frequency == Frequency.IMMEDIATELY:
            continue
        preference.frequency = frequency
        save_tracked(preference, user=user, reason=_("Notification preference changed"))
        changed += 1
    return changed


def notify(
    *, actor, kind: str, event_key: str, recipients, member, subject: str, body: str, link: str
) -> int:
    """Record the notification of one event for each recipient with an e-mail address, but never
    for the person who took the step, nor twice for the same event; returns how many were recorded.
    The recipients' choices and earlier notifications are read in one query each."""
    recipients = [r for r in recipients if r.pk != actor.pk and r.email and r.is_active]
    ids = [r.pk for r in recipients]
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list("user_id", "frequency")
    )
    already = set(
        Notification.objects.filter(recipient_id__in=ids, event_key=event_key).values_list(
            "recipient_id", flat=True
        )
    )
    recorded, immediate = 0, []
    for recipient in recipients:
        frequency = chosen.get(recipient.pk, Frequency.IMMEDIATELY)
        if frequency == Frequency.NEVER or recipient.pk in already:
            continue
        notification = Notification(
            recipient=recipient,
            kind=kind,
            event_key=event_key,
            frequency=frequency,
            subject=subject[:200],
            body=body,
            link=link,
            member=member,
        )
        save_tracked(notification, user=actor, reason=_("Notification recorded"))
        recorded += 1
        if frequency == Frequency.IMMEDIATELY:
            immediate.append(notification.pk)
    if immediate:
        transaction.on_commit(lambda: notifications_send(ids=immediate))
    return recorded


def notifications_send(*, ids=None, digest: bool = False) -> int:
    """Send what is recorded and not yet sent: the given rows, or (digest) every waiting row, the
    daily ones as one e-mail per person. A row is claimed under a lock, so two workers or two runs
    never send it twice. Returns the number of e-mails sent."""
    pending = Notification.objects.filter(sent_at__isnull=True, withheld_at__isnull=True)
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    elif not digest:
        pending = pending.filter(frequency=Frequency.IMMEDIATELY)
    by_recipient: dict = {}
    for row in pending.select_related("recipient").order_by("created_at", "pk"):
        by_recipient.setdefault(row.recipient, []).append(row)
    sent = 0
    for recipient, rows in by_recipient.items():
        immediate = [[row.pk] for row in rows if row.frequency == Frequency.IMMEDIATELY]
        daily = [row.pk for row in rows if row.frequency != Frequency.IMMEDIATELY]
        for group in immediate + ([daily] if daily else []):
            try:
                sent += _send_one_email(recipient, group)
            except OSError:
                # The mail server refused or was away: the rows stay unsent for the next run.
                log.exception("Notification e-mail to user %s failed; it stays queued.", recipient.pk)
    return sent


@transaction.atomic
def _send_one_email(recipient, ids) -> int:
    """One e-mail of the rows `ids`, claimed under a lock: rows another run has claimed or sent in
    the meantime are left out; the claim is undone when the mail server refuses. Who may read what is
    decided now, not when the row was recorded: a deactivated recipient gets nothing, and a row about
    a file the recipient no longer sees (moved to another ministry, role taken away) is withheld."""
    rows = list(
        Notification.objects.select_for_update(skip_locked=True)
        .filter(pk__in=ids, sent_at__isnull=True, withheld_at__isnull=True)
        .order_by("created_at", "pk")
    )
    recipient = get_user_model().objects.get(pk=recipient.pk)  # as it is now
    visible = set(
        Member.objects.for_user(recipient)
        .filter(pk__in={row.member_id for row in rows})
        .values_list("pk", flat=True)
    )
    withheld = [row for row in rows if not recipient.is_active or row.member_id not in visible]
    for row in withheld:
        row.withheld_at = timezone.now()
        save_tracked(row, user=system_user(), reason=_("Notification withheld: recipient no longer entitled"))
    rows = [row for row in rows if row not in withheld]
    if not rows:
        return 0
    with translation.override("nl"):
        subject = (
            rows[0].subject
            if len(rows) == 1 and rows[0].frequency == Frequency.IMMEDIATELY
            else _("tmgportal: daily summary (%(count)s)") % {"count": len(rows)}
        )
        body = render_to_string(
            "appointments/notification_email.txt",
            {"recipient": recipient, "rows": rows, "base_url": settings.TMG_BASE_URL},
        )
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[recipient.email])
    sender = system_user()
    for row in rows:
        row.sent_at = timezone.now()
        save_tracked(row, user=sender, reason=_("Notification e-mailed"))
    return 1


def _in_dutch(event):
    """The e-mails are in Dutch, whatever language the person taking the step reads the site in."""

    @wraps(event)
    def wrapper(**kwargs):
        with translation.override("nl"):
            return event(**kwargs)

    return wrapper


def _office_users_who_see(extension):
    """The office staff of the ministry that holds the member's file (roles.file_ministry: the rule
    that lets an office see and decide the extension; an extension is only proposed for a held
    appointment)."""
    ministry_id = (
        Member.objects.filter(pk=extension.appointment.member_id)
        .annotate(file_ministry_id=roles.file_ministry())
        .values_list("file_ministry_id", flat=True)
        .first()
    )
    if ministry_id is None:  # no held appointment: no office holds the file
        return get_user_model().objects.none()
    return get_user_model().objects.filter(
        is_active=True, groups__name=roles.MINISTER_OFFICE_GROUP, office_profile__ministry_id=ministry_id
    )


def _abd_staff():
    return get_user_model().objects.filter(is_active=True, groups__name=roles.ABD_STAFF_GROUP)


def _about(extension) -> str:
    appointment = extension.appointment
    return f"{appointment.member.full_name} ({appointment.function.title}, {appointment.function.ministry.abbreviation})"


@_in_dutch
def extension_proposed(*, actor, extension) -> int:
    """The office of the member's ministry, when ABD proposes an extension [Nadere regels 1]."""
    return notify(
        actor=actor,
        kind=NotificationKind.EXTENSION_PROPOSED,
        event_key=f"extension_proposed:{extension.pk}",
        recipients=_office_users_who_see(extension),
        member=extension.appointment.member,
        subject=_("Extension proposed: %(about)s") % {"about": _about(extension)},
        body=_(
            "ABD proposes to extend the term of %(about)s up to and including %(end)s. Your office decides on it in tmgportal."
        )
        % {"about": _about(extension), "end": date_format(rules.last_day(extension.proposed_end), "j F Y")},
        link=reverse("appointments:extension_decide", args=[extension.pk]),
    )


@_in_dutch
def extension_decided(*, actor, extension) -> int:
    """ABD staff, when an office approves or rejects an extension."""
    approved = extension.status == Extension.Status.APPROVED
    return notify(
        actor=actor,
        kind=NotificationKind.EXTENSION_DECIDED,
        event_key=f"extension_decided:{extension.pk}",
        recipients=_abd_staff(),
        member=extension.appointment.member,
        subject=(_("Extension approved: %(about)s") if approved else _("Extension rejected: %(about)s"))
        % {"about": _about(extension)},
        body=(
            _("The office approved the extension of %(about)s. The KB can now be made.")
            if approved
            else _("The office rejected the extension of %(about)s. Reason: %(remarks)s")
        )
        % {"about": _about(extension), "remarks": extension.remarks},
        link=reverse("appointments:appointment_detail", args=[extension.appointment_id]),
    )


@_in_dutch
def kb_signed(*, actor, document) -> int:
    """The ABD staff member who made the KB, when it is marked signed."""
    appointment = document.appointment
    about = f"{appointment.member.full_name} ({appointment.function.title})"
    return notify(
        actor=actor,
        kind=NotificationKind.KB_SIGNED,
        event_key=f"kb_signed:{document.pk}",
        recipients=[document.created_by],
        member=appointment.member,
        subject=_("KB signed: %(about)s") % {"about": about},
        body=_("The KB %(kind)s, version %(version)s, of %(about)s is marked signed.")
        % {"kind": document.get_kind_display(), "version": document.version, "about": about},
        link=reverse("appointments:appointment_detail", args=[appointment.pk]),
    )
