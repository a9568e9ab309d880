"""The rule registry: one module per rule, looked up by id (ruff's model).

Rule ids are a public contract: never reuse or renumber one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sovlint.rules import (
    sov001_parse_error,
    sov002_template_not_rendered,
    sov003_suppression_invalid,
    sov100_provider_not_sovereign,
    sov101_resource_not_sovereign,
    sov102_location_not_allowed,
    sov103_location_unknown,
    sov104_location_unresolved,
    sov105_state_backend_not_sovereign,
    sov106_provider_unknown,
    sov107_module_not_scanned,
    sov200_image_registry_not_sovereign,
    sov201_workload_location_not_allowed,
    sov202_cloud_integration_not_sovereign,
    sov203_egress_endpoint_not_sovereign,
)
from sovlint.rules.base import Check, RuleMeta


@dataclass(frozen=True)
class RegisteredRule:
    meta: RuleMeta
    check: Check | None  # None: produced by the engine itself (SOV003)


_MODULES = (
    sov001_parse_error,
    sov002_template_not_rendered,
    sov100_provider_not_sovereign,
    sov101_resource_not_sovereign,
    sov102_location_not_allowed,
    sov103_location_unknown,
    sov104_location_unresolved,
    sov105_state_backend_not_sovereign,
    sov106_provider_unknown,
    sov107_module_not_scanned,
    sov200_image_registry_not_sovereign,
    sov201_workload_location_not_allowed,
    sov202_cloud_integration_not_sovereign,
    sov203_egress_endpoint_not_sovereign,
)

REGISTRY: dict[str, RegisteredRule] = {m.RULE.id: RegisteredRule(m.RULE, m.check) for m in _MODULES}
REGISTRY[sov003_suppression_invalid.RULE.id] = RegisteredRule(sov003_suppression_invalid.RULE, None)
REGISTRY = dict(sorted(REGISTRY.items()))


def get(rule_id: str) -> RegisteredRule:
    return REGISTRY[rule_id]
