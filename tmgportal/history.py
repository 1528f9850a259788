"""One way to write a tracked record (validated, with who and why in its history row), and the
guarantee that history is append-only: no history row is changed or deleted, from the application
or — on PostgreSQL — from a plain database connection. The one exception is the retention pass
(`retention_pass()`), which clears personal data from history rows when the retention period of the
AVG has run out; it identifies itself to the database trigger."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords

# The transaction-local setting the PostgreSQL trigger reads (tmgportal.checks installs it).
REWRITE_SETTING = "tmgportal.retention_pass"
_in_retention_pass = ContextVar("tmg_retention_pass", default=False)


class HistoryIsAppendOnly(Exception):
    """A history row was about to be changed or deleted outside the retention pass."""


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


@contextmanager
def retention_pass():
    """The only code allowed to rewrite history rows and to write tracked records in bulk: the
    anonymisation of files whose retention period has ended (appointments.services.member_anonymise).
    On PostgreSQL it sets a transaction-local flag that the append-only trigger accepts."""
    with transaction.atomic():
        _set_database_flag("on")
        token = _in_retention_pass.set(True)
        try:
            yield
        finally:
            _in_retention_pass.reset(token)
            _set_database_flag("off")


def in_retention_pass() -> bool:
    return _in_retention_pass.get()


_copying_with_history = ContextVar("tmg_copying_with_history", default=False)


@contextmanager
def copying_with_history():
    """The one other code allowed to write tracked records in bulk: the volume generator
    (tmgportal.volume), which writes each copied record together with copies of the history rows the
    services wrote for its prototype. It changes no existing row."""
    token = _copying_with_history.set(True)
    try:
        yield
    finally:
        _copying_with_history.reset(token)


def may_write_in_bulk() -> bool:
    return in_retention_pass() or _copying_with_history.get()


def _set_database_flag(value: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [REWRITE_SETTING, value])


def refuse_history_rewrite(what: str) -> None:
    if not in_retention_pass():
        raise HistoryIsAppendOnly(f"History is append-only: {what} refused outside the retention pass.")


class AppendOnlyHistoricalQuerySet(HistoricalQuerySet):
    """History rows are never deleted, and changed only by the retention pass."""

    def update(self, **kwargs):
        refuse_history_rewrite(f"update of {self.model.__name__}")
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, **kwargs):
        refuse_history_rewrite(f"bulk update of {self.model.__name__}")
        return super().bulk_update(objs, fields, **kwargs)

    def delete(self):
        raise HistoryIsAppendOnly(f"History is append-only: delete of {self.model.__name__} refused.")


class AppendOnlyHistory(HistoricalRecords):
    """`HistoricalRecords` whose rows cannot be changed or deleted through the ORM."""

    def __init__(self, **kwargs):
        kwargs.setdefault("historical_queryset", AppendOnlyHistoricalQuerySet)
        super().__init__(**kwargs)


def is_tracked(model) -> bool:
    """A model with history of its own (not a history model itself)."""
    return bool(getattr(model._meta, "simple_history_manager_attribute", None)) and not hasattr(
        model, "instance_type"
    )


def m2m_histories(historical_model) -> list:
    """(field, relation) for each many-to-many field whose sets simple-history keeps beside a history
    model (a user's groups), in the model it names `<HistoricalModel>_<field>`."""
    found = []
    for field in getattr(historical_model, "_history_m2m_fields", []):
        name = f"{historical_model._meta.object_name}_{field.name}"
        found += [
            (field, rel)
            for rel in historical_model._meta.related_objects
            if rel.related_model._meta.object_name == name
        ]
    return found


def with_m2m_histories(historical_model) -> list:
    """A history model and the models of the many-to-many sets kept beside it."""
    return [historical_model, *(relation.related_model for _, relation in m2m_histories(historical_model))]


def historical_models():
    """The history model of every tracked model."""
    from django.apps import apps

    for model in apps.get_models():
        if is_tracked(model):
            yield getattr(model, model._meta.simple_history_manager_attribute).model
