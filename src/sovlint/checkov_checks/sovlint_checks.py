"""sovlint's rules as Checkov checks CKV_SOV_<n> (one per rule SOV<n>): Terraform providers,
resources, data sources and module calls; Kubernetes objects.

Runs inside Checkov's environment, which must never contain sovlint's own
dependencies (python-hcl2 would replace Checkov's `hcl2`). So the `sovlint`
package this file belongs to is loaded by path (its core is standard library
plus PyYAML) and nothing is added to `sys.path`. The judgement is sovlint's:
see `sovlint.integrations.checkov.py`.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from types import ModuleType
from typing import Any

from checkov.common.bridgecrew.severities import BcSeverities, Severities
from checkov.common.checks.base_check import BaseCheck
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.kubernetes.checks.resource.base_spec_check import BaseK8Check
from checkov.terraform.checks.data.base_check import BaseDataCheck
from checkov.terraform.checks.module.base_module_check import BaseModuleCheck
from checkov.terraform.checks.provider.base_check import BaseProviderCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


def _load_bridge() -> ModuleType:
    """Register the `sovlint` package that contains this file (without touching sys.path)
    and import its Checkov bridge."""
    package_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    loaded = sys.modules.get("sovlint")
    if loaded is None:
        spec = importlib.util.spec_from_file_location(
            "sovlint",
            os.path.join(package_dir, "__init__.py"),
            submodule_search_locations=[package_dir],
        )
        if spec is None or spec.loader is None:
            raise ImportError(f"sovlint: cannot load the sovlint package from {package_dir}")
        loaded = importlib.util.module_from_spec(spec)
        sys.modules["sovlint"] = loaded
        try:
            spec.loader.exec_module(loaded)
        except BaseException:
            del sys.modules["sovlint"]
            raise
    elif os.path.realpath(os.path.dirname(loaded.__file__ or "")) != os.path.realpath(package_dir):
        raise ImportError(
            f"sovlint: another sovlint ({loaded.__file__}) is already imported; "
            f"these checks belong to {package_dir}"
        )
    return importlib.import_module("sovlint.integrations.checkov")


_bridge = _load_bridge()


class _SovlintCheck(BaseCheck):
    """What every CKV_SOV check shares: ask sovlint, report its findings as details."""

    rule = ""
    kind = ""

    def _setup(self, rule: str) -> None:
        self.rule = rule
        self.severity = Severities[getattr(BcSeverities, _bridge.severity_name(rule))]
        self._scanned_file = ""
        self._suppress_comment = ""

    @staticmethod
    def _meta(rule: str) -> dict[str, Any]:
        meta = _bridge.REGISTRY[rule].meta
        return {
            "name": f"{meta.title} (sovlint {meta.id} {meta.name})",
            "id": _bridge.check_id(rule),
            "categories": [CheckCategories.GENERAL_SECURITY],
            "guideline": meta.help_uri,
        }

    def run(
        self,
        scanned_file: str,
        entity_configuration: dict[str, Any],
        entity_name: str,
        entity_type: str,
        skip_info: dict[str, Any],
    ) -> dict[str, Any]:
        self._scanned_file = scanned_file
        self._suppress_comment = ""
        result: dict[str, Any] = super().run(
            scanned_file=scanned_file,
            entity_configuration=entity_configuration,
            entity_name=entity_name,
            entity_type=entity_type,
            skip_info=skip_info,
        )
        if result.get("result") == CheckResult.SKIPPED and not result.get("suppress_comment"):
            result["suppress_comment"] = self._suppress_comment
        return result

    def _judge(self, conf: dict[str, Any]) -> Any:
        return self._report(
            _bridge.verdict(self.graph, self.kind, self._scanned_file, conf, self.rule)
        )

    def _report(self, outcome: Any) -> Any:
        self.details.extend(outcome.details)
        self._suppress_comment = outcome.suppress_comment
        return getattr(CheckResult, outcome.status)


class ProviderCheck(_SovlintCheck, BaseProviderCheck):
    kind = "provider"

    def __init__(self, rule: str) -> None:
        super().__init__(supported_provider=["*"], **self._meta(rule))
        self._setup(rule)

    def scan_provider_conf(self, conf: dict[str, Any]) -> Any:
        return self._judge(conf)


class ResourceCheck(_SovlintCheck, BaseResourceCheck):
    kind = "resource"

    def __init__(self, rule: str) -> None:
        super().__init__(supported_resources=["*"], **self._meta(rule))
        self._setup(rule)

    def scan_resource_conf(self, conf: dict[str, Any]) -> Any:
        return self._judge(conf)


class DataCheck(_SovlintCheck, BaseDataCheck):
    kind = "data"

    def __init__(self, rule: str) -> None:
        super().__init__(supported_data=["*"], **self._meta(rule))
        self._setup(rule)

    def scan_data_conf(self, conf: dict[str, Any]) -> Any:
        return self._judge(conf)


class ModuleCheck(_SovlintCheck, BaseModuleCheck):
    kind = "module"

    def __init__(self, rule: str) -> None:
        super().__init__(**self._meta(rule))
        self._setup(rule)

    def scan_module_conf(self, conf: dict[str, Any]) -> Any:
        return self._judge(conf)


class KubernetesCheck(_SovlintCheck, BaseK8Check):
    kind = "kubernetes"

    def __init__(self, rule: str) -> None:
        meta = self._meta(rule)
        meta["categories"] = [CheckCategories.KUBERNETES]
        super().__init__(supported_entities=["*"], **meta)
        self._setup(rule)

    def scan_spec_conf(self, conf: dict[str, Any]) -> Any:
        return self._report(_bridge.kube_verdict(self._scanned_file, conf, self.rule))


_CLASSES: dict[str, type[_SovlintCheck]] = {
    "provider": ProviderCheck,
    "resource": ResourceCheck,
    "data": DataCheck,
    "module": ModuleCheck,
}

CHECKS = [
    *(_CLASSES[kind](rule) for rule, kinds in _bridge.TERRAFORM_CHECKS.items() for kind in kinds),
    *(KubernetesCheck(rule) for rule in _bridge.KUBERNETES_CHECKS),
]
