"""Terraform entities: each root module Checkov loaded is rebuilt from its graph, evaluated by
sovlint's fact builder and module walk, judged and suppressed once; each check then looks its
entity up."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sovlint.hclmodel import Document
from sovlint.integrations.checkov.addresses import sovlint_address
from sovlint.integrations.checkov.checks import Result, outcome
from sovlint.integrations.checkov.documents import (
    documents,
    read_files,
    source_document,
    var_documents,
)
from sovlint.integrations.checkov.graph import GraphIndex, Vertex, graph_index
from sovlint.integrations.checkov.settings import SettingsError, settings_for
from sovlint.model import Finding

if TYPE_CHECKING:
    from sovlint.frontends.terraform.modules import ModuleTree
    from sovlint.settings import Settings

LOG = logging.getLogger("sovlint.checkov")


@dataclass
class RootResult:
    findings: dict[tuple[str, str], list[Finding]] = field(default_factory=dict)
    known: set[tuple[str, str]] = field(default_factory=set)
    settings: Settings | None = None
    error: str | None = None


_results: dict[tuple[int, str], RootResult] = {}


def _module_tree(settings: Settings, index: GraphIndex, root_dir: str) -> ModuleTree:
    """sovlint's module walk, reading each module instance from Checkov's graph (Checkov has
    evaluated every instance with its own inputs) instead of from disk."""
    from sovlint.frontends.terraform.modules import ModuleTree, is_local_source

    class CheckovModuleTree(ModuleTree):
        pending: list[Vertex]

        def resolve_source(
            self, root: Path, directory: Path, source: str | None, name: str, keys: list[str]
        ) -> tuple[Path | None, str]:
            found = index.modules.get((root_dir, (*keys, name)), [])
            unchecked = index.unchecked.get((root_dir, (*keys, name)))
            if unchecked:
                self.pending = []
                module_dir = os.path.dirname(found[0].file)
                shown = ", ".join(os.path.relpath(c, module_dir) for c in unchecked)
                return None, (
                    f"Checkov checks none of this module's resources: the same module directory "
                    f"is called as module {name!r} from more than one root module ({shown}); "
                    "give the calls distinct names, or run `sovlint scan`, which judges them"
                )
            if found:
                self.pending = found
                return Path(os.path.dirname(found[0].file)), ""
            self.pending = []
            child, reason = super().resolve_source(root, directory, source, name, keys)
            if child is not None:
                return None, (
                    "Checkov did not load this module (for a registry or git module, run checkov "
                    "with --download-external-modules true), so its resources were not checked"
                )
            return None, reason

        def output_documents(
            self, root: Path, directory: Path, source: str, name: str, keys: list[str]
        ) -> tuple[Path | None, list[Document], str]:
            """Outputs of a local module Checkov made no vertex for (one with only
            variables and outputs): its files as written."""
            child, docs, reason = super().output_documents(root, directory, source, name, keys)
            if child is not None or not is_local_source(source):
                return child, docs, reason
            from sovlint.discovery import module_files

            path = Path(os.path.normpath(directory / source))
            if not path.is_dir():
                return None, [], reason
            files = [source_document(str(p)) for p in module_files(path)]
            return path, [d for d in files if d is not None], ""

    def load(directory: Path) -> list[Document]:
        pending, tree.pending = tree.pending, []
        return documents(pending)

    tree = CheckovModuleTree(settings.catalog, load, str)
    tree.pending = []
    return tree


def _rehome_declared_only(findings: list[Finding], fact_sets: list[Any]) -> list[Finding]:
    """SOV106 on a provider declared only in `required_providers` sits in the `terraform {}`
    block, which Checkov never shows: report it also on the first resource that uses it
    (where sovlint itself reports it when the provider is not declared at all)."""
    out: list[Finding] = []
    for facts in fact_sets:
        declared = {pc.address: pc for pc in facts.providers if pc.declared_only}
        for f in findings:
            if f.rule_id != "SOV106" or f.address not in declared:
                continue
            pc = declared[f.address]
            if f.file != pc.span.file or f.line != pc.span.line:
                continue
            user = next(
                (r for r in facts.resources if r.provider_local_name == pc.local_name), None
            )
            if user is None:
                continue
            out.append(
                dataclasses.replace(
                    f,
                    message=(
                        f"{f.message} (declared in required_providers, terraform block at "
                        f"{os.path.basename(f.file)}:{f.line}, which Checkov does not show)"
                    ),
                    file=user.span.file,
                    line=user.span.line,
                    end_line=user.span.last_line,
                    address=user.address,
                    block_line=user.span.line,
                )
            )
    return out


def evaluate_root(index: GraphIndex, root_dir: str) -> RootResult:
    key = (id(index), root_dir)
    cached = _results.get(key)
    if cached is not None:
        return cached
    result = RootResult()
    _results[key] = result
    try:
        result.settings = settings_for(root_dir)
    except SettingsError as exc:
        result.error = f"sovlint configuration error: {exc}"
        LOG.error("%s (every CKV_SOV check under %s fails until it is fixed)", exc, root_dir)
        return result
    try:
        _evaluate(index, root_dir, result, result.settings)
    except Exception as exc:  # fail closed, and say so once
        result.error = (
            f"sovlint internal error: {type(exc).__name__}: {exc} (please report this bug)"
        )
        LOG.exception("sovlint could not evaluate %s", root_dir)
    return result


def _evaluate(index: GraphIndex, root_dir: str, result: RootResult, settings: Settings) -> None:
    from sovlint.findings import RuleSelection, apply_suppressions, judge
    from sovlint.readfile import ReadError, read_text
    from sovlint.rules.base import Context
    from sovlint.suppression import Suppression, parse_suppressions

    root_docs = documents(index.modules.get((root_dir, ()), []))
    tree = _module_tree(settings, index, root_dir)
    fact_sets = tree.evaluate(Path(root_dir), root_docs, var_documents(root_dir))
    ctx = Context(settings.catalog, settings.profile)
    selection = RuleSelection(settings.disabled)
    findings: list[Finding] = []
    files: set[str] = set()
    for facts in fact_sets:
        findings.extend(judge(facts, ctx, selection, "terraform"))
        files.update(facts.files)
        for pc in facts.providers:
            if not pc.declared_only:
                result.known.add((pc.address, pc.span.file))
        for res in facts.resources:
            result.known.add((res.address, res.span.file))
    findings.extend(_rehome_declared_only(findings, fact_sets))
    for (root, _names), vertices in index.modules.items():
        if root == root_dir:
            for v in vertices:
                if v.block_type == "module" and v.address:
                    result.known.add((sovlint_address("module", v.address), v.file))
    suppressions: dict[str, list[Suppression]] = {}
    for path in sorted(files):
        try:
            suppressions[path] = parse_suppressions(path, read_text(Path(path)))
        except ReadError:
            continue
    findings.extend(apply_suppressions(findings, suppressions, _dt.date.today(), settings.disabled))
    for f in findings:
        result.findings.setdefault((f.address, f.file), []).append(f)


_warned: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        LOG.warning(message)


def verdict(
    graph: Any, block_type: str, scanned_file: str, conf: Mapping[str, Any], rule: str
) -> Result:
    """The result of sovlint rule `rule` on the Checkov entity `conf` of `block_type`."""
    if graph is None:
        _warn_once(
            "sovlint: Checkov passed no graph to the CKV_SOV checks; they report nothing "
            "(is CHECKOV_GRAPH_FRAMEWORK set to an unsupported value?)"
        )
        return Result("UNKNOWN")
    index = graph_index(graph)
    address = conf.get("__address__")
    line = conf.get("__start_line__")
    if not isinstance(address, str) or not isinstance(line, int):
        return Result("UNKNOWN")
    vertex = index.entity(block_type, address, line, scanned_file)
    if vertex is None:
        _warn_once(f"sovlint: {scanned_file}: {address} not found in Checkov's graph; not judged")
        return Result("UNKNOWN")
    if vertex.file not in read_files([vertex]):
        return Result("UNKNOWN")  # replaced by a .tofu file: OpenTofu and sovlint ignore it
    result = evaluate_root(index, vertex.root_dir)
    if result.error is not None:
        return Result("FAILED", (result.error,))
    if result.settings is not None and rule in result.settings.disabled:
        return Result("UNKNOWN")
    key = (sovlint_address(block_type, vertex.address), vertex.file)
    if key not in result.known:
        _warn_once(f"sovlint: {scanned_file}: {address} is not among sovlint's facts; not judged")
        return Result("UNKNOWN")
    return outcome([f for f in result.findings.get(key, []) if f.rule_id == rule])
