"""One readable timeline from the history rows of several models: field-level differences with the
models' own (Dutch) labels, who, when and why, newest first [issue: audit]."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HIDDEN_FIELDS = {"id", "version", "dossier_state", "token"}
ACTIONS = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    kind: str
    kind_label: str
    record: str
    when: datetime
    who: str
    reason: str
    action: str
    changes: list = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action))


class _Labels:
    """Formats stored values for people, resolving foreign keys once each."""

    def __init__(self):
        self.related = {}

    def value(self, model_field, value) -> str:
        if value is None or value == "":
            return "—"
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.ForeignKey):
            key = (model_field.related_model, value)
            if key not in self.related:
                obj = model_field.related_model._default_manager.filter(pk=value).first()
                self.related[key] = str(obj) if obj else f"#{value}"
            return self.related[key]
        if isinstance(value, datetime):
            return date_format(timezone.localtime(value), "j F Y H:i")
        if isinstance(value, date):
            return date_format(value, "j F Y")
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, Decimal):
            return f"{value:f}".replace(".", ",")
        return str(value)


def entries(sources) -> list[Entry]:
    """`sources`: (kind, kind label, historical queryset). Returns all changes, newest first."""
    labels = _Labels()
    result = []
    for kind, kind_label, queryset in sources:
        fields = [f for f in queryset.model.tracked_fields if f.name not in HIDDEN_FIELDS]
        rows = list(queryset.select_related("history_user").order_by("id", "history_date", "history_id"))
        names = {}
        for row in reversed(rows):
            names.setdefault(row.id, str(row.instance))
        previous = {}
        for row in rows:
            before = previous.get(row.id)
            changes = []
            for model_field in fields:
                new = getattr(row, model_field.attname)
                old = getattr(before, model_field.attname) if before else None
                if before is None and new in (None, "", False):
                    continue
                if before is None or old != new:
                    changes.append(
                        FieldChange(
                            label=str(model_field.verbose_name).capitalize(),
                            old=labels.value(model_field, old) if before else "",
                            new=labels.value(model_field, new),
                        )
                    )
            previous[row.id] = row
            if before is not None and not changes and row.history_type == "~":
                continue  # a save that changed nothing visible
            result.append(
                Entry(
                    kind=kind,
                    kind_label=str(kind_label),
                    record=names[row.id],
                    when=row.history_date,
                    who=str(row.history_user) if row.history_user else _("unknown"),
                    reason=row.history_change_reason or "",
                    action=row.history_type,
                    changes=changes,
                )
            )
    result.sort(key=lambda entry: entry.when, reverse=True)
    return result
