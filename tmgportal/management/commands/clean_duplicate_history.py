"""Replaces django-simple-history's `clean_duplicate_history`: history in tmgportal is append-only."""

from .clean_old_history import Command  # noqa: F401  (the same refusal)
