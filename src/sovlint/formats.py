"""Every output format, in one place: the CLI's `--format` help and validation, the docs (checked by
tests/test_formats.py) and the dispatch to a reporter are all derived from this table.

Adding a format is adding `sovlint/reporters/<module>.py` with `render(report, color) -> str`
and one line here. Standard library only: the CLI reads this at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutputFormat:
    name: str  # the --format value
    module: str  # sovlint.reporters.<module> defines render(report, color) -> str
    description: str  # one line, for docs and help
    color: bool = False  # whether it may colour its output on a terminal


FORMATS: tuple[OutputFormat, ...] = (
    OutputFormat("text", "text", "human-readable findings with fix hints and a summary", True),
    OutputFormat("json", "json_report", "the JSON report: findings, inventory, summary"),
    OutputFormat("sarif", "sarif", "SARIF 2.1.0 for code-scanning UIs"),
    OutputFormat("junit", "junit", "JUnit XML for CI test tabs"),
    OutputFormat("github", "github", "GitHub Actions workflow annotations"),
    OutputFormat("gitlab", "gitlab", "GitLab Code Quality report"),
    OutputFormat("html", "html", "a self-contained HTML report for auditors and DPOs"),
    OutputFormat("markdown", "markdown", "a Markdown summary for a pull-request comment"),
)

BY_NAME: dict[str, OutputFormat] = {f.name: f for f in FORMATS}
NAMES: tuple[str, ...] = tuple(BY_NAME)


def spoken_list(names: tuple[str, ...] = NAMES) -> str:
    """'text, json or sarif'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
