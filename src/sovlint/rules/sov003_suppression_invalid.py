"""SOV003 suppression-invalid: a suppression comment that names an unknown rule, is malformed, or has expired.

Produced by the suppression pass of the engine (it judges comments, not facts).
"""

from __future__ import annotations

from sovlint.model import Severity
from sovlint.rules.base import RuleMeta

RULE = RuleMeta(
    id="SOV003",
    name="suppression-invalid",
    title="Suppression comment is invalid or expired",
    severity=Severity.LOW,
    rationale=(
        "A typo in a rule id, a malformed date or an expired `until=` would otherwise silently change "
        "what is checked. Invalid suppressions suppress nothing and are reported."
    ),
    fix="Use `# sovlint:ignore SOV101,SOV102 until=YYYY-MM-DD -- reason` with rule ids from `sovlint rules`; renew or remove expired suppressions.",
    frameworks=("terraform", "kubernetes"),
    suppressible=False,
)
