"""The named user under which commands and data loads write, so history always says who."""

from django.contrib.auth import get_user_model

SYSTEM_USERNAME = "systeem"


def system_user():
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "Systeem", "last_name": "(tmgportal)", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
