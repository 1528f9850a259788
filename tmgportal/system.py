"""The named user under which commands and data loads write, so history always says who."""

from django.contrib.auth import get_user_model

SYSTEM_USERNAME = "systeem"


def system_user():
    user = get_user_model().objects.filter(username=SYSTEM_USERNAME).first()
    if user is None:
        user = get_user_model()(
            username=SYSTEM_USERNAME, first_name="Systeem", last_name="(tmgportal)", is_active=False
        )
        user.set_unusable_password()
        # Its own first history row names itself: no history row is without an author.
        user._history_user = user
        user._change_reason = "Systeemgebruiker voor opdrachten en het laden van gegevens"
        user.save()
    return user
