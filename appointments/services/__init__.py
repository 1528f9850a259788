"""Every change of state in a member's file: one function each, keyword arguments, the acting user
first, inside a transaction, with the reason on the history row [STYLE: services].

One module per concern, beside its model and view modules: members, catalogue, dossier,
extension, search_period, side_activities, kb, deadlines, notifications and documents."""

from .catalogue import FUNCTION_FIELDS, function_create, function_update
from .conversation import conversation_record
from .deadlines import calendar_feed_renew, reminder_record
from .documents import document_replace, document_upload
from .dossier import (
    appointment_create,
    appointment_end,
    appointment_propose,
    appointment_record_council,
    appointment_record_ending_kb,
    appointment_record_kb,
    appointment_replace,
    appointment_take_office,
    appointment_terminate_early,
    appointment_update_concept,
    appointment_withdraw,
)
from .extension import extension_decide, extension_propose, extension_record_kb, extension_withdraw
from .kb import kb_generate, kb_kinds_available, kb_mark_signed
from .members import (
    ANONYMOUS_MEMBER,
    FREE_TEXT,
    MEMBER_FIELDS,
    REASON_REMOVED,
    DuplicateMember,
    member_anonymise,
    member_archive,
    member_create,
    member_left_on,
    member_restore,
    member_same_person,
    member_update,
)
from .notifications import notification_preferences_set, notifications_send
from .planned import step_cancel, step_plan, steps_apply_due
from .search_period import search_period_close, search_period_shorten, search_period_start
from .side_activities import (
    SIDE_ACTIVITY_FIELDS,
    side_activity_assess,
    side_activity_publish,
    side_activity_reopen,
    side_activity_report,
    side_activity_unpublish,
    side_activity_update,
)

__all__ = [
    "ANONYMOUS_MEMBER",
    "FREE_TEXT",
    "FUNCTION_FIELDS",
    "MEMBER_FIELDS",
    "REASON_REMOVED",
    "SIDE_ACTIVITY_FIELDS",
    "DuplicateMember",
    "appointment_create",
    "appointment_end",
    "appointment_propose",
    "appointment_record_council",
    "appointment_record_ending_kb",
    "appointment_record_kb",
    "appointment_replace",
    "appointment_take_office",
    "appointment_terminate_early",
    "appointment_update_concept",
    "appointment_withdraw",
    "calendar_feed_renew",
    "conversation_record",
    "document_replace",
    "document_upload",
    "extension_decide",
    "extension_propose",
    "extension_record_kb",
    "extension_withdraw",
    "function_create",
    "function_update",
    "kb_generate",
    "kb_kinds_available",
    "kb_mark_signed",
    "member_anonymise",
    "member_archive",
    "member_create",
    "member_left_on",
    "member_restore",
    "member_same_person",
    "member_update",
    "notification_preferences_set",
    "notifications_send",
    "reminder_record",
    "search_period_close",
    "search_period_shorten",
    "search_period_start",
    "side_activity_assess",
    "side_activity_publish",
    "side_activity_reopen",
    "side_activity_report",
    "side_activity_unpublish",
    "side_activity_update",
    "step_cancel",
    "step_plan",
    "steps_apply_due",
]
