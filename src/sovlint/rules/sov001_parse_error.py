"""SOV001 parse-error: a file that cannot be read or parsed. Fail closed."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.model import FailureFacts, Finding, Severity, Span
from sovlint.rules.base import Context, RuleMeta

RULE = RuleMeta(
    id="SOV001",
    name="parse-error",
    title="File cannot be read or parsed",
    severity=Severity.HIGH,
    rationale=(
        "A gate that skips what it cannot read can be bypassed with a syntax error. sovlint fails "
        "closed: an unreadable or invalid file is a finding and fails the run, whatever --fail-on says."
    ),
    fix="Fix the syntax error (run `terraform validate` or a YAML linter), or exclude the path in .sovlint.yaml if it is not infrastructure code.",
    frameworks=("terraform", "kubernetes"),
    suppressible=False,
    reads=("failures",),
)


def check(facts: FailureFacts, ctx: Context) -> Iterator[Finding]:
    for failure in facts.failures:
        yield ctx.finding(
            RULE, Span(failure.file, failure.line), failure.file, failure.message, None
        )
