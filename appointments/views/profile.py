"""The user's own page: the personal calendar feed and the choice of e-mail notifications."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import services
from ..models import CalendarFeed, Notification
from ..models.notifications import Frequency, NotificationKind
from ..services.notifications import frequencies_of


class NotificationPreferencesForm(forms.Form):
    """One choice per kind of notification: immediately, daily digest or never."""

    def __init__(self, *args, initial_frequencies, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Frequency.choices,
                widget=forms.RadioSelect,
                initial=initial_frequencies[kind],
                error_messages={
                    "required": gettext_lazy("Choose how you want to receive this notification.")
                },
            )


def profile(request):
    frequencies = frequencies_of(request.user)
    form = NotificationPreferencesForm(request.POST or None, initial_frequencies=frequencies)
    if request.method == "POST" and form.is_valid():
        changed = services.notification_preferences_set(user=request.user, frequencies=form.cleaned_data)
        messages.success(
            request,
            _("Notification choices saved.") if changed else _("Notification choices unchanged."),
        )
        return redirect("appointments:profile")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "appointments/profile.html",
        {
            "form": form,
            "feed_url": request.build_absolute_uri(reverse("appointments:calendar_feed", args=[feed.token]))
            if feed
            else None,
            "has_email": bool(request.user.email),
            # What was (or will be) e-mailed to this user, readable here too: in demo mode, where no
            # mail server is at hand, this is where the mail is read.
            "received": Notification.objects.filter(recipient=request.user).order_by("-created_at", "-pk")[
                :20
            ],
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def calendar_feed_renew(request):
    """Create the personal feed address, or renew it (the old address stops working)."""
    had_feed = CalendarFeed.objects.filter(user=request.user).exists()
    services.calendar_feed_renew(user=request.user)
    if had_feed:
        messages.success(request, _("Calendar address renewed; the old address no longer works."))
    else:
        messages.success(request, _("Calendar address created."))
    return redirect("appointments:profile")
