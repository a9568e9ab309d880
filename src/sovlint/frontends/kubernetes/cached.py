"""Plain manifests through the result cache (sovlint.results): a manifest file whose text is
unchanged comes back judged (its findings, inventory, suppressions and failures) without
being read, parsed, built or judged again.

Only a *plain* manifest is cached, one whose objects depend on nothing but its own text,
name and the scan settings: a `.yaml`/`.yml`/`.json` file that is not a `Chart.yaml`, a
kustomization or anything inside a chart (no ancestor directory is named `templates`, and no
`Chart.yaml` of this scan is in an ancestor directory), scanned without `--render` and not
from standard input. Everything else goes through the Kubernetes frontend as one unit, as
before. Every Kubernetes rule judges each object on its own, so judging a plain file's
objects by themselves gives the findings and inventory they get among all the others.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sovlint.frontends.base import Scope
from sovlint.model import FactSet
from sovlint.results import ResultCache, RootResult, encode_judged, record_inputs, text_digest

if TYPE_CHECKING:
    from sovlint.model import Finding, InventoryItem, K8sObject, ParseFailure
    from sovlint.suppression import Suppression

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
NOT_PLAIN_NAMES = ("Chart.yaml", "kustomization.yaml", "kustomization.yml", "Kustomization")
PREFIX = "manifest:"  # result-cache roots of manifest files (Terraform's are directories)


def plain_manifests(claimed: list[Path]) -> set[Path]:
    """The claimed files whose objects depend on their own text only (see the module doc).

    One `lstat` per file: a file that is not a link is its real directory and its name, so
    only each directory is resolved (once), and whether it is in a chart is decided once."""
    charts = {os.path.realpath(p.parent) for p in claimed if p.name == "Chart.yaml"}
    in_chart: dict[str, bool] = {}  # a directory (as claimed) -> is it, or an ancestor, a chart's
    plain: set[Path] = set()
    for path in claimed:
        if path.suffix.lower() not in MANIFEST_SUFFIXES or path.name in NOT_PLAIN_NAMES:
            continue
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue  # read (and refused) by the frontend itself
        if not stat.S_ISREG(mode):
            continue  # a link or no file: read (and refused) by the frontend itself
        parent = os.path.dirname(path)
        chart = in_chart.get(parent)
        if chart is None:
            real = Path(os.path.realpath(parent))
            chart = in_chart[parent] = any(
                p.name == "templates" or str(p) in charts for p in (real, *real.parents)
            )
        if not chart:
            plain.add(path)
    return plain


@dataclass
class Manifests:
    """What the Kubernetes frontend gives the engine: scopes, files, comments."""

    scopes: list[Scope] = field(default_factory=list)
    files: dict[str, None] = field(default_factory=dict)  # ordered, without repeats
    suppressions: dict[str, list[Suppression]] = field(default_factory=dict)


class CachedManifests:
    """The result cache as the Kubernetes frontend uses it, for one scan."""

    def __init__(self, results: ResultCache, display: Callable[[Path], str]) -> None:
        self.results = results
        self.display = display

    def replay(self, paths: list[Path], out: Manifests) -> list[Path]:
        """Add the cached result of each unchanged file to `out`; the files to scan."""
        missing = []
        for path in paths:
            shown = self.display(path)
            hit = self.results.lookup(PREFIX + shown, [shown])
            if hit is None or len(hit.scopes) != 1:
                missing.append(path)
                continue
            out.files.update(dict.fromkeys(hit.files))
            for file, sups in hit.suppressions.items():
                out.suppressions.setdefault(file, sups)
            out.scopes.append(Scope(FactSet(unit="kubernetes"), cached=hit.scopes[0]))
        return missing

    def split(
        self,
        facts: FactSet,
        files: list[str],
        suppressions: dict[str, list[Suppression]],
        paths: list[Path],
    ) -> list[Scope]:
        """Take each of `paths`' objects and failures out of `facts` into a scope of its own,
        stored in the cache once the engine has judged it. One pass over the facts: linear in
        the number of files and objects."""
        shown_of = {path: self.display(path) for path in paths}
        taken = set(shown_of.values())
        objects: dict[str, list[K8sObject]] = {s: [] for s in taken}
        failures: dict[str, list[ParseFailure]] = {s: [] for s in taken}
        for obj in facts.k8s_objects:
            if obj.span.file in taken:
                objects[obj.span.file].append(obj)
        for failure in facts.failures:
            if failure.file in taken:
                failures[failure.file].append(failure)
        facts.k8s_objects = [o for o in facts.k8s_objects if o.span.file not in taken]
        facts.failures = [f for f in facts.failures if f.file not in taken]
        listed = set(files)
        scopes = []
        for path, shown in shown_of.items():
            own = FactSet(unit="kubernetes", k8s_objects=objects[shown], failures=failures[shown])
            result = RootResult(
                calls=[],
                sets_values=[],
                files=[shown] if shown in listed else [],
                failures=failures[shown],
                suppressions={shown: suppressions[shown]} if shown in suppressions else {},
                scopes=[],
            )
            scopes.append(Scope(own, on_judged=self._store(path, shown, result)))
        return scopes

    def _store(
        self, path: Path, shown: str, result: RootResult
    ) -> Callable[[list[Finding], list[InventoryItem]], None]:
        results = self.results

        def store(findings: list[Finding], items: list[InventoryItem]) -> None:
            digests = lambda p: text_digest(p, results.max_file_size)  # noqa: E731
            inputs = record_inputs([path], [], digests, results.started_ns)
            if inputs is None:
                return  # changed during the scan: what was judged may not be what is on disk
            judged = [encode_judged(None, findings, items)]
            results.store(PREFIX + shown, [shown], inputs, result, judged)

        return store
