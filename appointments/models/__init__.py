from .dossier import Appointment, Extension, SearchPeriod, Termination
from .member import Member
from .organisation import Function, Ministry
from .reminders import CalendarFeed, ReminderSent
from .side_activity import SideActivity

__all__ = [
    "Appointment",
    "CalendarFeed",
    "Extension",
    "Function",
    "Member",
    "Ministry",
    "ReminderSent",
    "SearchPeriod",
    "SideActivity",
    "Termination",
]
