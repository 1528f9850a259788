from .dossier import Appointment, Extension, SearchPeriod, Termination
from .member import Member
from .organisation import Function, Ministry
from .reminders import CalendarFeed, ReminderSent

__all__ = [
    "Appointment",
    "CalendarFeed",
    "Extension",
    "Function",
    "Member",
    "Ministry",
    "ReminderSent",
    "SearchPeriod",
    "Termination",
]
