"""SOV107 module-not-scanned: a module call whose code could not be loaded."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.model import Finding, Severity, TerraformFacts
from sovlint.rules.base import Context, RuleMeta

RULE = RuleMeta(
    id="SOV107",
    name="module-not-scanned",
    title="Module could not be followed",
    severity=Severity.LOW,
    rationale=(
        "Resources inside a module that sovlint cannot read are not checked. A remote module "
        "(registry, git, http) is read from .terraform/modules after `terraform init`; a missing "
        "local directory or a cycle is a broken configuration. Reported rather than skipped so a "
        "gate never passes on code it did not see. The module source host itself is not judged."
    ),
    fix="Run `terraform init` (or `tofu init`) before scanning so remote modules are on disk, or fix the module source.",
    reads=("unresolved_modules",),
)


def check(facts: TerraformFacts, ctx: Context) -> Iterator[Finding]:
    for module in facts.unresolved_modules:
        source = f" (source {module.source!r})" if module.source else ""
        yield ctx.finding(
            RULE,
            module.span,
            module.address,
            f"{module.address}{source} was not scanned: {module.reason}",
            None,
        )
