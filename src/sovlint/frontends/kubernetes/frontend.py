"""The Kubernetes frontend behind the common protocol: it takes every file no earlier frontend
claimed (files without a Kubernetes object are skipped silently) and standard input. Plain
manifest files go through the result cache (`cached.py`) when the scan has one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sovlint.discovery import Discovery
from sovlint.frontends.base import FrontendBase, Scope, Session, Unit

if TYPE_CHECKING:
    from sovlint.frontends.kubernetes.cached import CachedManifests, Manifests


class KubernetesFrontend(FrontendBase):
    name = "kubernetes"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session

    def claims(self, path: Path) -> bool:
        return True

    def scan(self, disc: Discovery, claimed: list[Path]) -> Unit:
        if not claimed and self.options.stdin is None:
            return Unit()  # nothing for the Kubernetes frontend: do not import it
        from sovlint.frontends.kubernetes.cached import CachedManifests, Manifests, plain_manifests
        from sovlint.results import result_cache

        out = Manifests()
        results = result_cache(self.session)
        cached = None
        missed: list[Path] = []
        if results is not None and not self.options.render and self.options.stdin is None:
            cached = CachedManifests(results, self.display)
            plain = plain_manifests(claimed)
            missed = cached.replay([p for p in claimed if p in plain], out)
            keep = set(missed)
            claimed = [p for p in claimed if p not in plain or p in keep]
        if claimed or self.options.stdin is not None:
            self.scan_files(claimed, out, cached, missed)
        return Unit(out.scopes, list(out.files), out.suppressions)

    def scan_files(
        self,
        claimed: list[Path],
        out: Manifests,
        cached: CachedManifests | None,
        missed: list[Path],
    ) -> None:
        """Scan `claimed`; with the result cache, each of `missed` (plain manifests it did not
        have) becomes a scope of its own, stored once judged."""
        from sovlint.frontends.kubernetes.builder import KubeOptions
        from sovlint.frontends.kubernetes.scan import scan
        from sovlint.frontends.kubernetes.stream import use_cache

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
        out.files.update(dict.fromkeys(unit.files))
        for file, sups in unit.suppressions.items():
            out.suppressions.setdefault(file, sups)
        if cached is not None:
            out.scopes.extend(cached.split(unit.facts, unit.files, unit.suppressions, missed))
        out.scopes.append(Scope(unit.facts))
