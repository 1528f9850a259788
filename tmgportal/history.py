"""One way to write a tracked record: validated, with who and why in its history row."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class EditConflict(ValidationError):
    """Somebody else saved the record after this user opened it (optimistic locking)."""

    def __init__(self):
        super().__init__(
            _(
                "Someone else changed this record while you were editing it. Your changes have not "
                "been saved; they are shown below. Reload the page to see the latest version, then "
                "apply your changes again."
            ),
            code="conflict",
        )


def save_tracked(instance, *, user, reason: str, validate: bool = True):
    """full_clean() then save(), recording `user` and `reason` on the history row."""
    if validate:
        instance.full_clean()
    instance._history_user = user
    instance._change_reason = reason
    instance.save()
    return instance


def lock_for_update(model, *, pk, expected_version: int | None):
    """Re-read the row inside the transaction and refuse a stale edit."""
    current = model.objects.select_for_update().get(pk=pk)
    if expected_version is not None and current.version != expected_version:
        raise EditConflict()
    return current
