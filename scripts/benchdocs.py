"""The marked sections of docs/benchmarks.md that `make benchmark` and `make loadtest` rewrite: each run
replaces its own section and leaves the others as they are."""

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def write_section(key: str, section: str) -> None:
    """Put `section` between <!-- key --> and <!-- /key --> (added at the end when not there yet)."""
    start, end = f"<!-- {key} -->", f"<!-- /{key} -->"
    text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    block = f"{start}\n{section}\n{end}"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    text = (
        pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    )
    DOCS.write_text(text)
