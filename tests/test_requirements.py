"""What production installs: the runtime only, every package pinned with its hashes; the
development lock holds the very same runtime pins plus the tools."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_ONLY = {"pytest", "playwright", "locust", "mutmut", "hypothesis", "ruff", "mypy", "django-stubs"}


def pins(name: str) -> dict[str, str]:
    """{package: version} of a lock, each pin checked to carry at least one sha256 hash."""
    text = (ROOT / name).read_text()
    found = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        first = block.split("\n", 1)[0]
        if match := re.match(r"([A-Za-z0-9_.\-]+)==([^ \\]+)", first):
            assert "--hash=sha256:" in block, f"{name}: {first} has no hash"
            found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def test_production_installs_no_development_tool_and_every_package_has_its_hash():
    runtime = pins("requirements.txt")
    assert {"django", "gunicorn", "weasyprint", "icalendar", "psycopg"} <= runtime.keys()
    assert not DEVELOPMENT_ONLY & runtime.keys()


def test_the_development_lock_has_the_runtime_pins_unchanged_and_the_tools():
    runtime, development = pins("requirements.txt"), pins("requirements-dev.txt")
    assert {name: development.get(name) for name in runtime} == runtime
    assert development.keys() >= DEVELOPMENT_ONLY
