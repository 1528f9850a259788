"""Plausible input only.

Every date lies within the domain's bounds (a typo such as year 1 or 9999 made a page compute for
minutes); dates of things that happened (a report, a decision) do not lie in the future; text holds
no control characters (a vertical tab pasted from Word broke the public Atom feed for everyone),
except line breaks in free text. Models check it in `clean_fields()` (so every service, which calls
`full_clean()`, does), forms check it at the field with a Dutch message.
"""

import unicodedata
from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
# Line breaks are part of free text; browsers send them as CR LF.
LINE_BREAKS = frozenset("\r\n")


def date_problem(value: date, *, past_only: bool = False) -> str | None:
    if not EARLIEST <= value <= LATEST:
        return _("Enter a date between %(earliest)s and %(latest)s.") % {
            "earliest": date_format(EARLIEST, "j F Y"),
            "latest": date_format(LATEST, "j F Y"),
        }
    if past_only and value > timezone.localdate():
        return _("This date lies in the future; enter the date on which it happened.")
    return None


def text_problem(value: str, *, multiline: bool) -> str | None:
    allowed = LINE_BREAKS if multiline else frozenset()
    if any(unicodedata.category(char) == "Cc" and char not in allowed for char in value):
        return _(
            "This text contains an invisible control character (often pasted from a word processor); "
            "type it again or paste it as plain text."
        )
    return None


def clean_name(value: str) -> str:
    """A person's name as typed, without the invisible characters a paste can carry (zero-width
    spaces, direction marks: Unicode category Cf) and in one Unicode form (NFKC: a full-width or
    ligature letter becomes the ordinary one), so the same name is always the same text."""
    visible = "".join(char for char in value if unicodedata.category(char) != "Cf")
    return unicodedata.normalize("NFKC", visible).strip()


def name_problem(value: str) -> str | None:
    """Names in a member's file are written in the Latin alphabet (with its accents), as in the
    Dutch civil registry. A Cyrillic or Greek letter that looks Latin would make a second file of the
    same person look like another person."""
    if any(char.isalpha() and not unicodedata.name(char, "").startswith("LATIN") for char in value):
        return _(
            "Write the name in Latin letters (accents are fine); it contains a letter of another script."
        )
    return None


def name_key(value: str) -> str:
    """What two spellings of one name have in common: the clean name without case, dots and spaces."""
    return "".join(char for char in clean_name(value).casefold() if char.isalnum())


def validate_plausible_date(value):
    problem = date_problem(value)
    if problem:
        raise ValidationError(problem, code="implausible_date")


def validate_past_date(value):
    problem = date_problem(value, past_only=True)
    if problem:
        raise ValidationError(problem, code="implausible_date")


def validate_single_line_text(value):
    problem = text_problem(value, multiline=False)
    if problem:
        raise ValidationError(problem, code="control_character")


def validate_free_text(value):
    problem = text_problem(value, multiline=True)
    if problem:
        raise ValidationError(problem, code="control_character")


class PlausibleFieldsMixin:
    """For models: every date and text field checked in `clean_fields()`. `past_date_fields` names the
    dates of things that happened, which cannot lie in the future."""

    past_date_fields: tuple[str, ...] = ()

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if (exclude and field.name in exclude) or field.name in errors:
                continue
            value = getattr(self, field.attname)
            problem = None
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField) and value:
                problem = date_problem(value, past_only=field.name in self.past_date_fields)
            elif isinstance(field, (models.CharField, models.TextField)) and isinstance(value, str):
                problem = text_problem(value, multiline=isinstance(field, models.TextField))
            if problem:
                errors[field.name] = [problem]
        if errors:
            raise ValidationError(errors)


class LastDayField(forms.DateField):
    """Asks for the last day of a period, as people say it ("t/m 28 februari 2026"), and gives the
    form the exclusive end the rules and the models use (1 maart 2026) [ARAR 7.4; CAO17; TMG-page]. A stored end is
    shown as its last day again."""

    def to_python(self, value):
        day = super().to_python(value)
        if day is None:
            return None
        problem = date_problem(day)
        if problem:
            raise ValidationError(problem, code="implausible_date")
        return day + timedelta(days=1)

    def prepare_value(self, value):
        if isinstance(value, date):
            return value - timedelta(days=1)
        return super().prepare_value(value)


class PlausibleInputMixin:
    """For forms: the same checks at each date and text field, with the bounds on date inputs."""

    past_date_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
                past = name in self.past_date_fields
                if not isinstance(field, LastDayField):  # it checks the day entered itself
                    field.validators.append(validate_past_date if past else validate_plausible_date)
                field.widget.attrs.setdefault("min", EARLIEST.isoformat())
                field.widget.attrs.setdefault("max", LATEST.isoformat())
            elif isinstance(field, forms.CharField):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(validate_free_text if multiline else validate_single_line_text)
            elif isinstance(field, forms.ModelChoiceField):
                field.clean = _only_record_ids(field, field.clean)


def _only_record_ids(field, clean):
    """A choice of records looks its values up in the database: a value that cannot be a record id
    (a number past 2^63 overflowed SQLite into a server error) is an invalid choice before that."""
    from .converters import parse_id

    def checked(value):
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if item not in field.empty_values and parse_id(item) is None:
                raise ValidationError(
                    field.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return clean(value)

    return checked
