"""One search box for the whole file, within the user's scope: members by name, functions by title
or organisation, dossiers by KB number (of the appointment, an extension or the ending)."""

from django.db.models import Q
from django.shortcuts import render

from ..models import Appointment, Function, Member

MINIMUM = 2
SHOWN = 25


def _words(query: str) -> list[str]:
    return [word for word in query.split() if word][:6]


def search(request):
    query = request.GET.get("q", "").strip()[:100]
    context = {"query": query, "too_short": 0 < len(query) < MINIMUM, "shown": SHOWN}
    if len(query) >= MINIMUM:
        words = _words(query)
        by_name = Q()
        for word in words:
            by_name &= (
                Q(surname__icontains=word)
                | Q(prefix__icontains=word)
                | Q(first_name__icontains=word)
                | Q(initials__icontains=word)
            )
        members = Member.objects.for_user(request.user).filter(by_name).order_by("surname", "initials", "pk")
        by_title = Q()
        for word in words:
            by_title &= Q(title__icontains=word) | Q(organisation__icontains=word)
        functions = (
            Function.objects.for_user(request.user)
            .filter(by_title)
            .select_related("ministry")
            .order_by("title", "organisation", "pk")
        )
        dossiers = (
            Appointment.objects.for_user(request.user)
            .filter(
                Q(kb_number__icontains=query)
                | Q(ending_kb_number__icontains=query)
                | Q(extensions__kb_number__icontains=query)
            )
            .select_related("member", "function__ministry")
            .distinct()
            .order_by("-start_date", "pk")
        )
        context |= {
            "members": members[:SHOWN],
            "member_count": members.count(),
            "functions": functions[:SHOWN],
            "function_count": functions.count(),
            "dossiers": dossiers[:SHOWN],
            "dossier_count": dossiers.count(),
        }
    return render(request, "appointments/search.html", context)
