from .dossier import Appointment, Extension, SearchPeriod, Termination
from .member import Member
from .organisation import Function, Ministry

__all__ = [
    "Appointment",
    "Extension",
    "Function",
    "Member",
    "Ministry",
    "SearchPeriod",
    "Termination",
]
