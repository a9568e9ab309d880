"""Root modules through the result cache (sovlint.results): a root whose inputs are unchanged
comes back judged, without reading, parsing or evaluating its files; any other is evaluated
while its inputs are recorded, and stored once the engine has judged its scopes."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sovlint.discovery import Discovery, TerraformModule
from sovlint.frontends.base import Scope
from sovlint.model import FactSet
from sovlint.results import (
    ResultCache,
    RootResult,
    encode_judged,
    record_inputs,
    text_digest,
)

if TYPE_CHECKING:
    from sovlint.frontends.base import Session
    from sovlint.frontends.terraform.loader import TerraformFiles
    from sovlint.frontends.terraform.modules import ModuleTree
    from sovlint.hclmodel import Document
    from sovlint.model import Finding, InventoryItem

MANIFEST = Path(".terraform") / "modules" / "modules.json"


def own_inputs(module: TerraformModule) -> list[str]:
    """A root's own files as discovery lists them (a new or removed file is a miss)."""
    return (
        [str(p) for p in module.files]
        + [f"vars:{p}" for p in module.var_files]
        + [f"backend:{p}" for p in module.backend_files]
    )


class CachedRoots:
    """The result cache as the Terraform frontend uses it, for one scan."""

    def __init__(self, results: ResultCache, loader: TerraformFiles, session: Session) -> None:
        self.results = results
        self.loader = loader
        self.display = session.display

    def lookup_all(self, disc: Discovery) -> dict[Path, RootResult]:
        """The cached result of every discovered module that has one (roots only ever do)."""
        hits = {}
        for directory, module in sorted(disc.modules.items()):
            hit = self.results.lookup(self.display(directory), own_inputs(module))
            if hit is not None:
                hits[directory] = hit
        return hits

    @staticmethod
    def calls(module: TerraformModule, hit: RootResult) -> list[Path]:
        """The directories a cached root calls with local sources (stored relative to it)."""
        return [Path(os.path.normpath(module.directory / rel)) for rel in hit.calls]

    def replay(self, hit: RootResult, scope_files: frozenset[str] | None) -> list[Scope]:
        """The cached root's scopes (judged), and its files, failures and comments."""
        loader = self.loader
        loader.files.extend(hit.files)
        known = set(loader.failures)
        loader.failures.extend(f for f in hit.failures if f not in known)
        for file, sups in hit.suppressions.items():
            loader.suppressions.setdefault(file, sups)
        return [Scope(FactSet(unit=""), scope_files, s.caller, cached=s) for s in hit.scopes]

    def record(
        self,
        tree: ModuleTree,
        module: TerraformModule,
        documents: list[Document],
        evaluate: Callable[[], tuple[list[Scope], list[str]]],
    ) -> list[Scope]:
        """Evaluate a root (`evaluate`: its scopes and the files that define its values),
        noting what it reads; its entry is stored when the engine has judged its scopes."""
        loader = self.loader
        watched = loader.watch()
        try:
            scopes, sets_values = evaluate()
        finally:
            loader.unwatch()
        files = [*module.files, *module.var_files, *module.backend_files, *watched.files]
        directories = set(watched.directories)
        for directory in [module.directory, *watched.directories]:
            docs = documents if directory == module.directory else loader.load_directory(directory)
            directories.update(p for p in tree.local_calls(directory, docs) if p != directory)
        manifest = module.directory / MANIFEST
        digests = loader.digests or {}

        def digest_of(path: Path) -> str:
            return digests.get(path) or text_digest(path, loader.options.max_file_size)

        inputs = record_inputs(
            dict.fromkeys([*files, manifest]),
            sorted(directories),
            digest_of,
            self.results.started_ns,
        )
        if inputs is None:
            return scopes  # an input changed during the scan: nothing stored
        shown = {self.display(p) for p in files}
        result = RootResult(
            calls=[
                os.path.relpath(p, module.directory)
                for p in tree.local_calls(module.directory, documents)
                if p != module.directory
            ],
            sets_values=sets_values,
            files=[f for f in dict.fromkeys(loader.files) if f in shown],
            failures=[f for f in loader.failures if f.file in shown],
            suppressions={f: s for f, s in loader.suppressions.items() if f in shown},
            scopes=[],
        )
        root, own = self.display(module.directory), own_inputs(module)
        judged: list[list[object] | None] = [None] * len(scopes)

        def on_judged(index: int) -> Callable[[list[Finding], list[InventoryItem]], None]:
            def store(findings: list[Finding], items: list[InventoryItem]) -> None:
                judged[index] = encode_judged(scopes[index].caller, findings, items)
                if all(j is not None for j in judged):
                    self.results.store(root, own, inputs, result, [j for j in judged if j])

            return store

        for index, scope in enumerate(scopes):
            scope.on_judged = on_judged(index)
        if not scopes:
            self.results.store(root, own, inputs, result, [])
        return scopes
