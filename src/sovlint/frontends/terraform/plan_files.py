"""Terraform JSON plans and state among the scanned files, mapped back to their
configuration (`--source`) when one is given."""

from __future__ import annotations

from pathlib import Path

from sovlint.discovery import TerraformModule, discover
from sovlint.frontends.base import Scope, Session
from sovlint.frontends.terraform.loader import TerraformFiles
from sovlint.model import Backend, ParseFailure, Span
from sovlint.readfile import ReadError, read_text


class PlanFiles:
    def __init__(self, session: Session, loader: TerraformFiles) -> None:
        self.options = session.options
        self.display = session.display
        self.loader = loader
        self._texts: dict[Path, str] = {}
        self._source_index: tuple[dict[str, Span], list[Backend]] | None = None

    def claims(self, path: Path) -> bool:
        """A readable .json file that looks like a plan (an unreadable one is left to the
        manifest frontend, which reports it)."""
        if not path.name.endswith(".json"):
            return False  # (the plan reader's imports are not free: pre-commit runs often)
        from sovlint.frontends.terraform.plan import looks_like_plan

        try:
            text = read_text(path, self.options.max_file_size)
        except ReadError:
            return False
        if not looks_like_plan(text):
            return False
        self._texts[path] = text
        return True

    def scan(self, paths: list[Path]) -> list[Scope]:
        if not paths:
            return []
        from sovlint.frontends.terraform.plan import PlanError, map_to_source, plan_facts

        scopes = []
        for path in paths:
            text = self._texts.pop(path)
            display = self.display(path)
            self.loader.files.append(display)
            try:
                facts = plan_facts(text, display, self.options.catalog)
            except PlanError as exc:
                self.loader.failures.append(ParseFailure(display, exc.line, str(exc)))
                continue
            if self.options.source is not None:
                spans, backends = self.source_index(self.options.source)
                map_to_source(facts, spans)
                facts.backends.extend(backends)
            scopes.append(Scope(facts))
        return scopes

    def source_index(self, directory: Path) -> tuple[dict[str, Span], list[Backend]]:
        """Configuration addresses -> source spans (and backends) for mapping a plan back to .tf files."""
        if self._source_index is None:
            from sovlint.frontends.terraform.modules import ModuleTree

            spans: dict[str, Span] = {}
            backends: list[Backend] = []
            loader = self.loader
            tree = ModuleTree(self.options.catalog, loader.load_directory, self.display)
            documents = loader.load_directory(directory)
            root = discover([directory]).modules.get(directory, TerraformModule(directory))
            var_docs = loader.load_all(root.var_files, var_file=True)
            backend_docs = loader.load_backend_configs(root.backend_files)
            for facts in tree.evaluate(directory, documents, var_docs, backend_docs):
                spans.update({r.address: r.span for r in facts.resources})
                spans.update({p.address: p.span for p in facts.providers if not p.declared_only})
                backends.extend(facts.backends)
            self._source_index = (spans, backends)
        return self._source_index
