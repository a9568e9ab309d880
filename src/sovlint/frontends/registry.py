"""Every frontend, in the order files are offered to them (the last one takes what is left).

Adding a frontend is adding its package and one line here: "module:factory", imported only
when a scan runs (imports stay lazy).
"""

from __future__ import annotations

import importlib

from sovlint.frontends.base import FrontendFactory

FRONTENDS: tuple[str, ...] = (
    "sovlint.frontends.terraform.frontend:TerraformFrontend",
    "sovlint.frontends.compose.frontend:ComposeFrontend",
    "sovlint.frontends.kubernetes.frontend:KubernetesFrontend",
)


def frontend_factories() -> list[FrontendFactory]:
    factories: list[FrontendFactory] = []
    for entry in FRONTENDS:
        module, _, name = entry.partition(":")
        factories.append(getattr(importlib.import_module(module), name))
    return factories
