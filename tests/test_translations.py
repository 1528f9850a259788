"""The Dutch UI is one Dutch text: the catalogue is extracted afresh from every template
and module (in a copy of the code, so the checked-in files stay as they are), and every message in
use has a Dutch translation, none is fuzzy, and none is missing from the checked-in catalogue."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = ("appointments", "salaries", "tmgportal", "templates", "locale", "manage.py")
CATALOGUE = Path("locale/nl/LC_MESSAGES/django.po")


def _entries(po: Path, *options: str) -> str:
    """The entries msgattrib selects (gettext's own reading of the catalogue), without the header."""
    result = subprocess.run(
        ["msgattrib", *options, "--no-wrap", "--no-obsolete", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    return "\n".join(line for line in result.stdout.split("\n\n")[1:] if line.strip())


def _msgids(po: Path) -> set[str]:
    result = subprocess.run(
        ["msgcat", "--no-wrap", "--no-location", str(po)], capture_output=True, text=True, check=True
    )
    return {line for line in result.stdout.splitlines() if line.startswith("msgid ")} - {'msgid ""'}


def test_every_message_in_the_templates_and_code_has_a_dutch_translation(tmp_path):
    for name in CODE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--no-location", "-v", "0"],
        cwd=tmp_path,
        env=os.environ | {"TMG_ENV_FILE": "/dev/null"},
        check=True,
    )
    fresh = tmp_path / CATALOGUE
    assert _entries(fresh, "--untranslated") == "", "messages without a Dutch translation"
    assert _entries(fresh, "--only-fuzzy") == "", "fuzzy (unchecked) translations"
    missing = _msgids(fresh) - _msgids(ROOT / CATALOGUE)
    assert not missing, f"run `make messages`: the checked-in catalogue lacks {sorted(missing)[:5]}"
