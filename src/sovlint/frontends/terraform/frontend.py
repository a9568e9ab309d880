"""The Terraform / OpenTofu frontend: root modules with the modules they call, and plans.

Roots are the scanned modules no other scanned module calls; children are judged through
their callers, with the caller's inputs and providers. Variables come from TF_VAR_ (opt-in),
the module's tfvars, --var-file and --var, in Terraform's order. JSON plans/state among the
other files are claimed too (`plan_files.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sovlint.discovery import Discovery, TerraformModule
from sovlint.frontends.base import FrontendBase, Scope, Session, Unit
from sovlint.frontends.terraform.loader import TerraformFiles
from sovlint.frontends.terraform.plan_files import PlanFiles
from sovlint.hclmodel import Document
from sovlint.readfile import ReadError, read_text
from sovlint.shard import shard_of

if TYPE_CHECKING:
    from sovlint.frontends.terraform.modules import ModuleTree


def sets_values(only: set[str], documents: list[Document], var_docs: list[Document]) -> bool:
    """Whether a file passed explicitly defines values that other files of its module use
    (a tfvars file, `variable` or `locals` blocks): then the whole module is reported."""
    if any(doc.path in only for doc in var_docs):
        return True
    return any(
        doc.path in only and bool(doc.body.blocks_of("variable") or doc.body.blocks_of("locals"))
        for doc in documents
    )


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

    def claims(self, path: Path) -> bool:
        return self.plans.claims(path)

    def scan(self, disc: Discovery, claimed: list[Path]) -> Unit:
        self.loader.preparse(disc)
        self.scan_modules(disc)
        self.scopes.extend(self.plans.scan(claimed))
        return Unit(self.scopes, self.loader.files, self.loader.suppressions, self.loader.failures)

    def scan_root(
        self, tree: ModuleTree, module: TerraformModule, documents: list[Document]
    ) -> None:
        """A root module and every module it calls, reported as one unit."""
        var_docs = [
            *variables_document("TF_VAR_", self.options.env_variables),
            *self.loader.load_all([*module.var_files, *self.options.var_files], var_file=True),
            *variables_document("--var", self.options.variables),
        ]
        fact_sets = tree.evaluate(module.directory, documents, var_docs)
        only = {self.display(p) for p in module.only} if module.only is not None else None
        if only is not None and sets_values(only, documents, var_docs):
            only = None  # a changed variable, local or tfvars value is judged where it is used
        scope_files = frozenset(only) if only is not None else None
        root = self.display(module.directory)
        for index, facts in enumerate(fact_sets):
            self.scopes.append(Scope(facts, scope_files, root if index else None))

    def scan_modules(self, disc: Discovery) -> None:
        from sovlint.frontends.terraform.modules import ModuleTree

        tree = ModuleTree(self.options.catalog, self.loader.load_directory, self.display)
        if self.options.shard is not None:
            self.scan_shard(tree, disc, *self.options.shard)
            return
        load_all = self.loader.load_all
        documents = {d: load_all(m.files) for d, m in sorted(disc.modules.items())}
        called: set[Path] = set()
        for directory, docs in documents.items():
            called.update(p for p in tree.local_calls(directory, docs) if p != directory)
        for directory, docs in documents.items():
            module = disc.modules[directory]
            if directory in called and module.only is None:
                continue
            self.scan_root(tree, module, docs)

    def scan_shard(self, tree: ModuleTree, disc: Discovery, index: int, count: int) -> None:
        """Only the roots this shard owns. Whether a directory is a root is decided by parsing
        just the directories whose text may call it (a cheap textual index, then confirmed)."""
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
            if shard_of(self.display(directory), count) != index:
                continue
            module = disc.modules[directory]
            callers = maybe_callers.get(directory, set()) & set(disc.modules)
            if module.only is None and any(
                directory in tree.local_calls(c, load_all(disc.modules[c].files))
                for c in sorted(callers)
            ):
                continue  # a child: judged through its caller, in the caller's shard
            self.scan_root(tree, module, load_all(module.files))
