from .dossier import Appointment, Extension, SearchPeriod, Termination
from .kb import KBDocument
from .member import Member
from .organisation import Function, Ministry
from .reminders import CalendarFeed, ReminderSent
from .side_activity import SideActivity

__all__ = [
    "Appointment",
    "CalendarFeed",
    "Extension",
    "Function",
    "KBDocument",
    "Member",
    "Ministry",
    "ReminderSent",
    "SearchPeriod",
    "SideActivity",
    "Termination",
]
