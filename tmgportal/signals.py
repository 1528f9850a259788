import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import SessionLifetimeMiddleware


@receiver(user_logged_in)
def stamp_login_time(sender, request, user, **kwargs):
    """Start the absolute session clock at login (SessionLifetimeMiddleware)."""
    now = time.time()
    request.session[SessionLifetimeMiddleware.LOGIN_AT] = now
    request.session[SessionLifetimeMiddleware.SEEN_AT] = now
