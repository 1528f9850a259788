"""Mutation testing of the rules and the scoping (`make mutation`, outside `make test`).

mutmut (configured under [tool.mutmut] in pyproject.toml) changes the code of
appointments/rules.py, salaries/rules.py, tmgportal/roles.py and appointments/selectors.py one small
change at a time and runs the tests that reach the changed function; a change no test notices
"survives". This script runs it, then writes docs/mutation.md: the score per module and every
survivor with its diff and the explanation below. It fails when the score is under 90% or a survivor
has no explanation, so an unexplained gap cannot slip into the document.
"""

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = [sys.executable, "-m", "mutmut"]
GOAL = 0.90

# Survivors that no test can or should kill, by mutant name: equivalent mutants (the program
# behaves the same) or an accepted risk, each with the reason.
CASE_INSENSITIVE = (
    "Equivalent: apps.get_model() finds a model by its name in any case ('Appointment', 'appointment' "
    "and 'APPOINTMENT' are the same model)."
)
OUTPUT_FIELD = "Equivalent: Django infers the integer output field of Case() from its Value(0)/Value(1)."
NULL_ON_SQLITE = (
    "Equivalent on SQLite, where mutation testing runs: the 'started' marker becomes NULL instead of 0, "
    "and SQLite sorts NULL first, as it sorted 0. PostgreSQL sorts NULL last, so there the same "
    "tests (tests/test_roles.py, run on PostgreSQL by make test) fail on it. Accepted."
)
EXPLAINED = {
    "salaries.rules.x_wnt_individual_maximum__mutmut_7": (
        "Equivalent: sum() starts at the int 0 instead of Decimal(0); the sum of Decimal terms is a "
        "Decimal either way, and with no spans 0 × the maximum is still 0.00 after money()."
    ),
    "tmgportal.roles.x_file_ministry__mutmut_24": CASE_INSENSITIVE,
    "tmgportal.roles.x_file_ministry__mutmut_25": CASE_INSENSITIVE,
    "tmgportal.roles.x_scope__mutmut_18": CASE_INSENSITIVE,
    "tmgportal.roles.x_scope__mutmut_19": CASE_INSENSITIVE,
    "tmgportal.roles.x_file_ministry__mutmut_29": OUTPUT_FIELD,
    "tmgportal.roles.x_file_ministry__mutmut_32": OUTPUT_FIELD,
    "tmgportal.roles.x_file_ministry__mutmut_34": NULL_ON_SQLITE,
    "tmgportal.roles.x_file_ministry__mutmut_36": NULL_ON_SQLITE,
    "tmgportal.roles.x_file_ministry__mutmut_37": NULL_ON_SQLITE,
    "tmgportal.roles.x_file_ministry__mutmut_51": (
        "Equivalent on SQLite, where mutation testing runs: a scalar subquery of two rows gives its first "
        "row, the same as [:1]. PostgreSQL refuses a subquery of more than one row, so there the tests "
        "with two held appointments (tests/test_roles.py) fail on it. Accepted."
    ),
    "tmgportal.roles.x_file_ministry__mutmut_40": (
        "Equivalent: 'not started yet' sorts as 2 instead of 1; any value above the 0 of 'started' "
        "orders the same."
    ),
}


def run(*args, check=True, **kwargs):
    return subprocess.run([*MUTMUT, *args], cwd=ROOT, check=check, text=True, capture_output=True, **kwargs)


def module_of(name: str) -> str:
    return name.split(".x", 1)[0].split(".xǁ", 1)[0]


def main() -> int:
    env = os.environ | {
        "DJANGO_SECRET_KEY": os.environ.get(
            "DJANGO_SECRET_KEY", "mutation-testing-only-secret-key-0123456789"
        ),
        "TMG_ENV_FILE": os.devnull,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True, env=env
    )
    subprocess.run([*MUTMUT, "run"], cwd=ROOT, check=True, env=env, stdout=subprocess.DEVNULL)
    run("export-cicd-stats", env=env)
    stats = json.loads((ROOT / "mutants" / "mutmut-cicd-stats.json").read_text())
    results = [
        line.strip() for line in run("results", "--all", "true", env=env, check=False).stdout.splitlines()
    ]
    by_status = [line.rsplit(": ", 1) for line in results if ": " in line and "__mutmut_" in line]
    totals, killed = Counter(), Counter()
    for name, status in by_status:
        totals[module_of(name)] += 1
        killed[module_of(name)] += status == "killed"
    survivors = [name for name, status in by_status if status != "killed"]
    lines = [
        "# Mutation testing",
        "",
        f"Run by `make mutation` (scripts/mutation.py, mutmut) on {datetime.now(UTC).date().isoformat()}. Each mutant is one",
        "small change of the code (a comparison turned, a constant changed, an argument dropped); a test must",
        "notice it. Goal: at least 90% killed in each module.",
        "",
        "| module | mutants | killed | score |",
        "|---|---:|---:|---:|",
    ]
    for module in sorted(totals):
        lines.append(
            f"| `{module}` | {totals[module]} | {killed[module]} | {killed[module] / totals[module]:.1%} |"
        )
    total, total_killed = sum(totals.values()), sum(killed.values())
    lines += [f"| **all** | {total} | {total_killed} | {total_killed / total:.1%} |", ""]
    lines += [f"mutmut's own count: {json.dumps(stats)}", "", "## Survivors", ""]
    unexplained = []
    for name in survivors:
        diff = "\n".join(
            line
            for line in run("show", name, env=env, check=False).stdout.splitlines()
            if line.startswith(("-", "+"))
        )
        reason = EXPLAINED.get(name)
        if reason is None:
            unexplained.append(name)
        lines += [f"### `{name}`", "", "```diff", diff, "```", "", reason or "**Not explained.**", ""]
    if not survivors:
        lines.append("None.")
    (ROOT / "docs" / "mutation.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    low = [m for m in totals if killed[m] / totals[m] < GOAL]
    print(
        f"{total_killed}/{total} killed; under {GOAL:.0%}: {low or 'none'}; unexplained: {unexplained or 'none'}"
    )
    return 1 if low or unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
