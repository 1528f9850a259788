from .conversation import Conversation
from .documents import Document
from .dossier import Appointment, Termination
from .extension import Extension
from .kb import KBDocument
from .member import Member
from .notifications import Notification, NotificationPreference
from .organisation import Function, Ministry
from .planned_step import PlannedStep
from .reminders import CalendarFeed, ReminderSent
from .search_period import SearchPeriod
from .side_activity import SideActivity

__all__ = [
    "Appointment",
    "CalendarFeed",
    "Conversation",
    "Document",
    "Extension",
    "Function",
    "KBDocument",
    "Member",
    "Ministry",
    "PlannedStep",
    "Notification",
    "NotificationPreference",
    "ReminderSent",
    "SearchPeriod",
    "SideActivity",
    "Termination",
]
