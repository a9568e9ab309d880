"""The Kubernetes frontend behind the common protocol: it takes every file no earlier frontend
claimed (files without a Kubernetes object are skipped silently) and standard input."""

from __future__ import annotations

from pathlib import Path

from sovlint.discovery import Discovery
from sovlint.frontends.base import FrontendBase, Scope, Unit


class KubernetesFrontend(FrontendBase):
    name = "kubernetes"

    def claims(self, path: Path) -> bool:
        return True

    def scan(self, disc: Discovery, claimed: list[Path]) -> Unit:
        if not claimed and self.options.stdin is None:
            return Unit()  # nothing for the Kubernetes frontend: do not import it
        from sovlint.frontends.kubernetes.scan import KubeOptions, scan, use_cache

        use_cache(self.options.cache)
        try:
            unit = scan(
                claimed,
                KubeOptions(
                    display=self.display,
                    render=frozenset(self.options.render),
                    max_file_size=self.options.max_file_size,
                    stdin=self.options.stdin,
                    kube=self.options.catalog.kubernetes,
                ),
            )
        finally:
            use_cache(None)
        return Unit([Scope(unit.facts)], unit.files, unit.suppressions)
