"""Follow module calls: evaluate child modules with their caller's inputs and providers.

Local sources (`./x`, `../y`) are read from disk; registry, git and http sources
are found through `.terraform/modules/modules.json` when `terraform init` has run.
A call that cannot be followed (not downloaded, missing directory, cycle) is
recorded as an unresolved module, never silently skipped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from sovlint.catalog.model import Catalog
from sovlint.hclmodel import Document, Expr, Expression, Literal, ObjectExpr, TupleExpr, expr_text
from sovlint.model import FactSet, ProviderConfig, UnresolvedModule

from .evaluator import Binding, Evaluator
from .facts import ModuleCall, ModuleInput, build_module

MAX_DEPTH = 32

Loader = Callable[[Path], list[Document]]


def is_local_source(source: str) -> bool:
    return source.startswith(("./", "../")) or source in (".", "..")


def _to_expr(value: object, line: int) -> Expr:
    if isinstance(value, dict):
        return ObjectExpr(tuple((str(k), _to_expr(v, line)) for k, v in value.items()), line)
    if isinstance(value, list):
        return TupleExpr(tuple(_to_expr(v, line) for v in value), line)
    if value is None or isinstance(value, (str, int, float, bool)):
        return Literal(value, line)
    return Expression(f"({value})", line)


class ModuleTree:
    """Evaluates one root module and every module it calls, depth first."""

    def __init__(self, catalog: Catalog, load: Loader, display: Callable[[Path], str]) -> None:
        self.catalog = catalog
        self.load = load
        self.display = display
        self._manifests: dict[Path, dict[str, Path]] = {}

    def local_calls(self, directory: Path, documents: list[Document]) -> list[Path]:
        """Directories a module calls with local sources (to tell roots from children)."""
        out = []
        for doc in documents:
            for block in doc.body.blocks_of("module"):
                attr = block.body.attr("source")
                source = (
                    attr.value.value
                    if attr is not None and isinstance(attr.value, Literal)
                    else None
                )
                if isinstance(source, str) and is_local_source(source):
                    out.append(Path(os.path.normpath(directory / source)))
        return out

    def evaluate(
        self,
        root: Path,
        documents: list[Document],
        var_files: list[Document],
        backend_files: list[Document] | None = None,
    ) -> list[FactSet]:
        module = ModuleInput(
            self.display(root), documents, var_files, backend_files or [], directory=root
        )
        return self._walk(root, root, module, [root], [])

    def _walk(
        self, root: Path, directory: Path, module: ModuleInput, stack: list[Path], keys: list[str]
    ) -> list[FactSet]:
        from .module_outputs import output_resolver

        module.module_output = output_resolver(self, root, directory, module.documents, stack, keys)
        facts, calls, evaluator, _builder = build_module(module, self.catalog)  # (kept: see there)
        out = [facts]
        for call in calls:
            child_dir, reason = self.resolve_source(root, directory, call.source, call.name, keys)
            if child_dir is not None and child_dir in stack:
                chain = " -> ".join(
                    self.display(p) for p in [*stack[stack.index(child_dir) :], child_dir]
                )
                child_dir, reason = None, f"module cycle: {chain}"
            if child_dir is not None and len(stack) >= MAX_DEPTH:
                child_dir, reason = None, f"modules nested deeper than {MAX_DEPTH} levels"
            documents = self.load(child_dir) if child_dir is not None else []
            if child_dir is not None and not documents:
                reason = f"no readable Terraform files in {self.display(child_dir)}"
                child_dir = None
            if child_dir is None:
                facts.unresolved_modules.append(
                    UnresolvedModule(call.address, call.source or "", reason, call.span)
                )
                facts.values.extend((call.address, v) for v in call.values)
                continue
            child = ModuleInput(
                unit=f"{self.display(child_dir)} ({call.address})",
                documents=documents,
                prefix=f"{call.address}.",
                inputs=self._inputs(call, evaluator),
                inherited=self._providers(call, facts),
                is_root=False,
                directory=child_dir,
            )
            out.extend(self._walk(root, child_dir, child, [*stack, child_dir], [*keys, call.name]))
        return out

    def resolve_source(
        self, root: Path, directory: Path, source: str | None, name: str, keys: list[str]
    ) -> tuple[Path | None, str]:
        """The directory of a module call's code, or None and the reason."""
        if source is None:
            return None, "module source is not a literal string"
        key = ".".join([*keys, name])
        manifest = self._manifest(root)
        if key in manifest:
            return manifest[key], ""
        if is_local_source(source):
            path = Path(os.path.normpath(directory / source))
            if not path.is_dir():
                return None, f"module directory {self.display(path)} does not exist"
            return path, ""
        return (
            None,
            f"remote module {source!r} is not downloaded: run `terraform init` (or `tofu init`) before scanning to check its resources",
        )

    def output_documents(
        self, root: Path, directory: Path, source: str, name: str, keys: list[str]
    ) -> tuple[Path | None, list[Document], str]:
        """The files of a called module, to evaluate its outputs."""
        child_dir, reason = self.resolve_source(root, directory, source, name, keys)
        if child_dir is None:
            return None, [], reason
        return child_dir, self.load(child_dir), ""

    def _manifest(self, root: Path) -> dict[str, Path]:
        """`.terraform/modules/modules.json`: module key -> directory, as written by `terraform init`."""
        if root not in self._manifests:
            entries: dict[str, Path] = {}
            path = root / ".terraform" / "modules" / "modules.json"
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                for item in data.get("Modules", []):
                    key, rel = item.get("Key"), item.get("Dir")
                    if isinstance(key, str) and key and isinstance(rel, str):
                        entries[key] = Path(os.path.normpath(root / rel))
            except (OSError, ValueError, AttributeError):
                entries = {}
            self._manifests[root] = entries
        return self._manifests[root]

    @staticmethod
    def _inputs(call: ModuleCall, evaluator: Evaluator) -> dict[str, Binding]:
        """The child's variables: each argument evaluated in the caller's scope (with the
        call instance's count.index / each.*), never re-read in the child's scope."""
        inputs = {}
        for name, attr in call.arguments.items():
            value = evaluator.evaluate(attr.value, call.names)
            where = f"argument {name!r} of {call.address} at {call.document.path}:{attr.line}"
            caller_origin = evaluator.origin(attr.value)
            origin = f"{where}, from {caller_origin}" if caller_origin else where
            opaque = Expression(f"({expr_text(attr.value)})", attr.line)
            inputs[name] = Binding(opaque, origin, value)
        return inputs

    @staticmethod
    def _providers(call: ModuleCall, parent: FactSet) -> dict[str, ProviderConfig]:
        """What the child receives: the `providers` map, or else every default configuration."""
        available: dict[str, ProviderConfig] = dict(parent.inherited_providers)
        available.update({pc.address: pc for pc in parent.providers})
        prefix = call.address[: -len(f"module.{call.name}")]
        if call.providers:
            return {
                child: available[target]
                for child, target in call.providers.items()
                if target in available
            }
        out = {}
        for address, pc in available.items():
            local = address[len(prefix) :] if address.startswith(prefix) else address
            if local.startswith("provider.") and local.count(".") == 1:
                out[local] = pc
        return out
