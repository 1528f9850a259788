"""One readable timeline from the history rows of several models: field-level differences with the
models' own (Dutch) labels, who, when and why, newest first."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .history import m2m_histories

HIDDEN_FIELDS = {"id", "version", "dossier_state", "token"}
# Ends stored exclusive (the first day no longer in it), shown as the last day as on every screen.
EXCLUSIVE_ENDS = {
    "term_end",
    "valid_until",
    "designated_until",
    "end",
    "proposed_end",
    "current_end",
    "ended_on",
}
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
            if model_field.name in EXCLUSIVE_ENDS:
                return _("%(day)s (last day)") % {"day": date_format(value - timedelta(days=1), "j F Y")}
            return date_format(value, "j F Y")
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, Decimal):
            return f"{value:f}".replace(".", ",")
        return str(value)


def _m2m_accessors(historical_model) -> list:
    """(field, accessor) of the many-to-many sets kept beside a history model (a user's groups)."""
    return [(field, relation.get_accessor_name()) for field, relation in m2m_histories(historical_model)]


def _m2m_values(row, accessors) -> dict:
    """The names in each many-to-many set at that history row."""
    values = {}
    for m2m, accessor in accessors:
        target = m2m.related_model._meta.model_name
        names = sorted(str(getattr(link, target)) for link in getattr(row, accessor).all())
        values[str(m2m.verbose_name).capitalize()] = ", ".join(names) or "—"
    return values


def _label_paths(model) -> list[str]:
    """The relations a record's name (__str__) reads: its member, its function, its appointment's."""
    names = {f.name for f in model._meta.get_fields()}
    paths = [name for name in ("member", "function", "function__ministry") if name.split("__")[0] in names]
    if "appointment" in names:
        paths.append("appointment__member")
    return paths


def _name(row, paths) -> str:
    """The record's name as it was, its related records taken from the row's own joins (no query)."""
    instance = row.instance
    for name in {path.split("__")[0] for path in paths}:
        setattr(instance, name, getattr(row, name))
    return str(instance)


def entries(sources) -> list[Entry]:
    """`sources`: (kind, kind label, historical queryset). Returns all changes, newest first."""
    labels = _Labels()
    result = []
    for kind, kind_label, queryset in sources:
        fields = [f for f in queryset.model.tracked_fields if f.name not in HIDDEN_FIELDS]
        accessors = _m2m_accessors(queryset.model)
        paths = _label_paths(queryset.model.instance_type)
        rows = list(
            queryset.select_related("history_user", *paths)
            .prefetch_related(
                *(f"{accessor}__{m2m.related_model._meta.model_name}" for m2m, accessor in accessors)
            )
            .order_by("id", "history_date", "history_id")
        )
        names = {}
        for row in reversed(rows):
            if row.id not in names:
                names[row.id] = _name(row, paths)
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
            old_sets = _m2m_values(before, accessors) if before else {}
            for label, in_set in _m2m_values(row, accessors).items():
                if before is None or old_sets.get(label) != in_set:
                    if before is None and in_set == "—":
                        continue
                    changes.append(FieldChange(label=label, old=old_sets.get(label, ""), new=in_set))
            previous[row.id] = row
            if (
                before is not None
                and not changes
                and row.history_type == "~"
                and not row.history_change_reason
            ):
                continue  # a save that changed nothing visible and says no why
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
