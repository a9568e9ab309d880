"""Run sovlint's rules for Checkov's external checks (`sovlint checkov-dir`).

The check modules in `sovlint/checkov_checks/` run inside Checkov's own
environment, which can never also hold sovlint's dependencies (Checkov's
bc-python-hcl2 and sovlint's python-hcl2 both own the module `hcl2`). They load
the `sovlint` package by path and call `verdict()` / `kube_verdict()` here. Everything reachable
from this module is standard library plus PyYAML; it never imports `checkov`.

How one verdict is reached:

1. Checkov's graph (`check.graph`, set by Checkov's registry before each check)
   holds every block Checkov parsed, already evaluated (variables, tfvars,
   module inputs). It is indexed once per process.
2. The entity being checked is found in it; its root module and every module
   instance under it are converted to sovlint's HCL model
   (`frontends/terraform/checkov_conf.py`) and evaluated by sovlint's own
   fact builder and module walk (`ModuleTree`), then judged by the rule
   registry (`sovlint.findings`), with `sovlint:ignore` comments applied. This happens
   once per root module; each check then looks its entity up.
3. The profile comes from `SOVLINT_PROFILE`, else from the `.sovlint.yaml`
   found upward from the root module, exactly as `sovlint scan` finds it
   (`sovlint.settings`).

Modules: `checks` (ids, severities, results), `addresses` (Checkov names <-> sovlint
addresses), `graph` (Checkov's graph index), `settings`, `terraform` and `kubernetes`
(the verdicts). Only public sovlint functions are used: no engine internals.
"""

from __future__ import annotations

from sovlint.integrations.checkov.addresses import checkov_name, sovlint_address
from sovlint.integrations.checkov.checks import (
    KUBERNETES_CHECKS,
    TERRAFORM_CHECKS,
    Result,
    check_id,
    rule_id,
    severity_name,
)
from sovlint.integrations.checkov.kubernetes import kube_verdict
from sovlint.integrations.checkov.settings import PROFILE_ENV
from sovlint.integrations.checkov.terraform import verdict
from sovlint.rules import REGISTRY

__all__ = [
    "KUBERNETES_CHECKS",
    "PROFILE_ENV",
    "REGISTRY",
    "TERRAFORM_CHECKS",
    "Result",
    "check_id",
    "checkov_name",
    "kube_verdict",
    "rule_id",
    "severity_name",
    "sovlint_address",
    "verdict",
]
