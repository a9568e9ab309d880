"""The rule registry: one module per rule (`sovNNN_name.py`), looked up by id (ruff's model).

Every module named `sov<digits>_<name>` in this package is a rule: it defines `RULE`
(a RuleMeta) and, unless the engine produces its findings itself (SOV003), `check`.
Adding a rule is adding a file. Rule ids are a public contract: never reuse or renumber one.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass

from sovlint.rules.base import Check, RuleMeta


@dataclass(frozen=True)
class RegisteredRule:
    meta: RuleMeta
    check: Check | None  # None: produced by the engine itself (SOV003)


def _discover() -> dict[str, RegisteredRule]:
    registry: dict[str, RegisteredRule] = {}
    for info in pkgutil.iter_modules(__path__):
        if not re.fullmatch(r"sov\d{3}_[a-z0-9_]+", info.name):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        meta: RuleMeta = module.RULE
        if meta.id in registry:
            raise RuntimeError(f"rule id {meta.id} defined twice ({info.name})")
        if not info.name.startswith(meta.id.lower() + "_"):
            raise RuntimeError(f"module {info.name} defines {meta.id}: file and id must agree")
        registry[meta.id] = RegisteredRule(meta, getattr(module, "check", None))
    return dict(sorted(registry.items()))


REGISTRY: dict[str, RegisteredRule] = _discover()
