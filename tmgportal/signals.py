import time

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import connection
from django.db.models.signals import post_migrate, post_save, pre_delete, pre_save
from django.dispatch import receiver

from . import lockout
from .dbroles import grant_roles, owns_tables
from .history import (
    REWRITE_SETTING,
    HistoryIsAppendOnly,
    historical_models,
    refuse_history_rewrite,
    with_m2m_histories,
)
from .middleware import SessionLifetimeMiddleware


@receiver(user_logged_in)
def stamp_login_time(sender, request, user, **kwargs):
    """Start the absolute session clock at login (SessionLifetimeMiddleware)."""
    now = time.time()
    request.session[SessionLifetimeMiddleware.LOGIN_AT] = now
    request.session[SessionLifetimeMiddleware.SEEN_AT] = now


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    if request is not None:
        lockout.record(request, user.get_username(), succeeded=True)


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    if request is not None:
        lockout.record(request, credentials.get("username"), succeeded=False)


class UserDeletionRefused(Exception):
    """Users are deactivated, never deleted: their name stays on every history row they wrote."""


def refuse_user_deletion(sender, instance, **kwargs):
    raise UserDeletionRefused(f"User {instance.pk} cannot be deleted; deactivate the account instead.")


def skip_history_of_last_login(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) == {"last_login"}:
        instance.skip_history_when_saving = True


def end_skip_of_last_login(sender, instance, **kwargs):
    if hasattr(instance, "skip_history_when_saving"):
        del instance.skip_history_when_saving


def refuse_history_delete(sender, instance, **kwargs):
    raise HistoryIsAppendOnly(f"History is append-only: delete of {sender.__name__} refused.")


def refuse_history_change(sender, instance, **kwargs):
    if not instance._state.adding:
        refuse_history_rewrite(f"change of {sender.__name__}")


APPEND_ONLY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION tmg_history_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('{REWRITE_SETTING}', true) = 'on' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'tmgportal: history is append-only (% on % refused)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def install_append_only_triggers(**kwargs):
    """On PostgreSQL every history table refuses UPDATE and DELETE from any connection; only the
    retention pass, which sets the transaction-local flag, may UPDATE. Re-installed after every
    migrate, so a new history table is covered as soon as it exists."""
    if not owns_tables():
        return
    with connection.cursor() as cursor:
        cursor.execute(APPEND_ONLY_FUNCTION)
        for model in historical_models():
            for m2m in with_m2m_histories(model):
                table = connection.ops.quote_name(m2m._meta.db_table)
                cursor.execute(f"DROP TRIGGER IF EXISTS tmg_append_only ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER tmg_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION tmg_history_append_only()"
                )
    grant_roles()


def connect(app_config):
    user_model = get_user_model()
    pre_delete.connect(refuse_user_deletion, sender=user_model, dispatch_uid="tmg_refuse_user_deletion")
    pre_save.connect(skip_history_of_last_login, sender=user_model, dispatch_uid="tmg_skip_last_login")
    post_save.connect(end_skip_of_last_login, sender=user_model, dispatch_uid="tmg_end_skip_last_login")
    for model in historical_models():
        for history_model in with_m2m_histories(model):
            pre_delete.connect(
                refuse_history_delete, sender=history_model, dispatch_uid=f"tmg_del_{history_model}"
            )
            pre_save.connect(
                refuse_history_change, sender=history_model, dispatch_uid=f"tmg_save_{history_model}"
            )
    post_migrate.connect(install_append_only_triggers, sender=app_config, dispatch_uid="tmg_append_only")
