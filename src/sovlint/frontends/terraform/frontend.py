"""The Terraform / OpenTofu frontend: root modules with the modules they call, and plans.

Roots are the scanned modules no other scanned module calls; children are judged through
their callers, with the caller's inputs and providers. Variables come from TF_VAR_ (opt-in),
the module's tfvars, --var-file and --var, in Terraform's order. JSON plans/state among the
other files are claimed too (`plan_files.py`).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from sovlint.discovery import Discovery, TerraformModule
from sovlint.frontends.base import FrontendBase, Scope, Session, Unit
from sovlint.frontends.terraform.cached import CachedRoots
from sovlint.frontends.terraform.loader import TerraformFiles
from sovlint.frontends.terraform.plan_files import PlanFiles
from sovlint.hclmodel import Document
from sovlint.readfile import ReadError, read_text
from sovlint.results import result_cache
from sovlint.shard import owns

if TYPE_CHECKING:
    from sovlint.frontends.terraform.modules import ModuleTree
    from sovlint.results import RootResult


def value_files(documents: list[Document], var_docs: list[Document]) -> list[str]:
    """The files of a module that define values its other files use (tfvars and
    `.tfbackend` files, files with `variable` or `locals` blocks): a passed one reports the
    whole module."""
    return [doc.path for doc in var_docs] + [
        doc.path
        for doc in documents
        if doc.body.blocks_of("variable") or doc.body.blocks_of("locals")
    ]


def sets_values(only: set[str], documents: list[Document], var_docs: list[Document]) -> bool:
    """Whether a file passed explicitly defines values that other files of its module use."""
    return not only.isdisjoint(value_files(documents, var_docs))


def variables_document(origin: str, pairs: tuple[tuple[str, str], ...]) -> list[Document]:
    """Variables given outside files, as a var-file document (Terraform's precedence order)."""
    if not pairs:
        return []
    from sovlint.hclmodel import Attribute, Body, Literal

    body = Body()
    for name, value in pairs:
        body.attributes[name] = Attribute(name, Literal(value, 0), 0, 0)
    return [Document(path=origin, body=body)]


class TerraformFrontend(FrontendBase):
    name = "terraform"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.loader = TerraformFiles(session)
        self.plans = PlanFiles(session, self.loader)
        self.scopes: list[Scope] = []
        self.cached: CachedRoots | None = None
        results = result_cache(session)
        if results is not None:
            self.cached = CachedRoots(results, self.loader, session)
            self.loader.digests = {}

    def claims(self, path: Path) -> bool:
        return self.plans.claims(path)

    def scan(self, disc: Discovery, claimed: list[Path]) -> Unit:
        hits = self.cached.lookup_all(disc) if self.cached is not None else {}
        self.loader.preparse(disc, skip=hits)
        self.scan_modules(disc, hits)
        self.scopes.extend(self.plans.scan(claimed))
        return Unit(self.scopes, self.loader.files, self.loader.suppressions, self.loader.failures)

    def scan_root(
        self, tree: ModuleTree, module: TerraformModule, documents: list[Document]
    ) -> tuple[list[Scope], list[str]]:
        """A root module and every module it calls, reported as one unit: its scopes, and
        the files that define its values."""
        var_docs = [
            *variables_document("TF_VAR_", self.options.env_variables),
            *self.loader.load_all([*module.var_files, *self.options.var_files], var_file=True),
            *variables_document("--var", self.options.variables),
        ]
        backend_docs = self.loader.load_backend_configs(module.backend_files)
        fact_sets = tree.evaluate(module.directory, documents, var_docs, backend_docs)
        setting = value_files(documents, [*var_docs, *backend_docs])
        scope_files = self.scope_files(module, setting)
        root = self.display(module.directory)
        scopes = [
            Scope(facts, scope_files, root if index else None)
            for index, facts in enumerate(fact_sets)
        ]
        return scopes, setting

    def scope_files(self, module: TerraformModule, setting: list[str]) -> frozenset[str] | None:
        """The files whose findings are reported (None: all): those passed explicitly, unless
        one of them defines values (it is judged where they are used)."""
        if module.only is None:
            return None
        only = {self.display(p) for p in module.only}
        return None if not only.isdisjoint(setting) else frozenset(only)

    def scan_modules(self, disc: Discovery, hits: dict[Path, RootResult]) -> None:
        """Roots are the modules no other scanned module calls (what a cached root calls is
        in its entry). A cached root comes back judged; the others are evaluated."""
        if not disc.modules:
            return  # no Terraform module (a manifest-only scan): the evaluator is not imported
        if self.options.shard is not None or self.options.part is not None:
            self.scan_owned(self.module_tree(), disc)
            return
        load_all = self.loader.load_all
        modules = sorted(disc.modules.items())
        documents = {d: load_all(m.files) for d, m in modules if d not in hits}
        # (every root from the cache, as on most pre-commit runs: nothing to evaluate, so
        # neither the module walk nor the evaluator is imported)
        tree = self.module_tree() if documents else None
        called: set[Path] = set()
        for directory, docs in documents.items():
            assert tree is not None
            called.update(p for p in tree.local_calls(directory, docs) if p != directory)
        for directory, hit in hits.items():
            called.update(p for p in CachedRoots.calls(disc.modules[directory], hit))
        called -= {d for d, m in modules if m.only is not None}
        for directory, module in modules:
            if directory in called:
                continue
            cached = hits.get(directory)
            if cached is not None and self.cached is not None:
                scope_files = self.scope_files(module, cached.sets_values)
                self.scopes.extend(self.cached.replay(cached, scope_files))
            else:
                assert tree is not None  # (a root not from the cache has its documents)
                if self.cached is not None:
                    docs = documents[directory]
                    evaluate = functools.partial(self.scan_root, tree, module, docs)
                    self.scopes.extend(self.cached.record(tree, module, docs, evaluate))
                else:
                    self.scopes.extend(self.scan_root(tree, module, documents[directory])[0])

    def module_tree(self) -> ModuleTree:
        from sovlint.frontends.terraform.modules import ModuleTree

        return ModuleTree(self.options.catalog, self.loader.load_directory, self.display)

    def scan_owned(self, tree: ModuleTree, disc: Discovery) -> None:
        """Only the roots this shard (or configuration's part) owns. Whether a directory is a
        root is decided by parsing just the directories whose text may call it (a cheap
        textual index, then confirmed)."""
        import os
        import re

        source_re = re.compile(r'\bsource\s*=\s*"(\.{1,2}/[^"]*|\.{1,2})"')
        maybe_callers: dict[Path, set[Path]] = {}
        for directory, module in disc.modules.items():
            for path in module.files:
                try:
                    text = read_text(path, self.options.max_file_size)
                except ReadError:
                    continue
                for m in source_re.finditer(text):
                    target = Path(os.path.normpath(directory / m.group(1)))
                    if target != directory:
                        maybe_callers.setdefault(target, set()).add(directory)
        load_all = self.loader.load_all
        for directory in sorted(disc.modules):
            if not owns(self.options.shard, self.options.part, directory, self.display(directory)):
                continue
            module = disc.modules[directory]
            callers = maybe_callers.get(directory, set()) & set(disc.modules)
            if module.only is None and any(
                directory in tree.local_calls(c, load_all(disc.modules[c].files))
                for c in sorted(callers)
            ):
                continue  # a child: judged through its caller, in the caller's shard
            self.scopes.extend(self.scan_root(tree, module, load_all(module.files))[0])
