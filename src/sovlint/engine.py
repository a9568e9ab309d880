"""The scan pipeline: discover -> parse into facts -> judge with rules -> findings and inventory."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sovlint import judge
from sovlint.catalog.model import Catalog
from sovlint.discovery import Discovery, TerraformModule, discover
from sovlint.hclmodel import Document
from sovlint.model import FactSet, Finding, InventoryItem, ParseFailure, Severity, Verdict
from sovlint.profiles import Profile
from sovlint.readfile import DEFAULT_MAX_FILE_SIZE, ReadError, read_text
from sovlint.rules import REGISTRY
from sovlint.rules.base import Context
from sovlint.rules.sov003_suppression_invalid import RULE as SOV003
from sovlint.suppression import Suppression, parse_suppressions


@dataclass
class ScanOptions:
    paths: list[Path]
    profile: Profile
    catalog: Catalog
    exclude: tuple[str, ...] = ()
    var_files: tuple[Path, ...] = ()
    disabled: frozenset[str] = frozenset()
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    follow_symlinks: bool = False
    today: _dt.date = field(default_factory=_dt.date.today)
    cwd: Path = field(default_factory=Path.cwd)


@dataclass
class ScanResult:
    findings: list[Finding]
    inventory: list[InventoryItem]
    files: list[str]


def display_path(path: Path, cwd: Path) -> str:
    """POSIX path relative to the current directory when inside it, without a leading './'."""
    try:
        absolute = path if path.is_absolute() else cwd / path
        rel = os.path.relpath(absolute, cwd)
        if not rel.startswith(".."):
            return Path(rel).as_posix()
        return absolute.as_posix()
    except ValueError:
        return path.as_posix()


def _parse(path: Path, text: str, display: str, var_file: bool) -> Document:
    from sovlint.frontends.terraform.hcl_json import parse_tf_json, parse_tfvars_json
    from sovlint.frontends.terraform.hcl_native import parse_hcl

    name = path.name
    if name.endswith(".json"):
        return parse_tfvars_json(text, display) if var_file else parse_tf_json(text, display)
    return parse_hcl(text, display)


class _Scanner:
    def __init__(self, options: ScanOptions) -> None:
        self.options = options
        self.ctx = Context(options.catalog, options.profile)
        self.findings: list[Finding] = []
        self.inventory: list[InventoryItem] = []
        self.files: list[str] = []
        self.suppressions: dict[str, list[Suppression]] = {}

    def display(self, path: Path) -> str:
        return display_path(path, self.options.cwd)

    def read(self, path: Path, facts: FactSet) -> str | None:
        display = self.display(path)
        try:
            text = read_text(path, self.options.max_file_size)
        except ReadError as exc:
            facts.failures.append(ParseFailure(display, exc.line, str(exc)))
            return None
        self.suppressions[display] = parse_suppressions(display, text)
        return text

    def load(self, path: Path, facts: FactSet, var_file: bool = False) -> Document | None:
        from sovlint.frontends.terraform.hcl_native import HclSyntaxError

        text = self.read(path, facts)
        if text is None:
            return None
        display = self.display(path)
        try:
            return _parse(path, text, display, var_file)
        except HclSyntaxError as exc:
            facts.failures.append(ParseFailure(display, exc.line, str(exc)))
            return None

    def scan_module(self, module: TerraformModule) -> None:
        from sovlint.frontends.terraform.facts import ModuleInput, build_facts

        unit = self.display(module.directory)
        failures = FactSet(unit=unit)
        documents = []
        for path in module.files:
            self.files.append(self.display(path))
            doc = self.load(path, failures)
            if doc is not None:
                documents.append(doc)
        var_docs = []
        for path in [*module.var_files, *self.options.var_files]:
            self.files.append(self.display(path))
            doc = self.load(path, failures, var_file=True)
            if doc is not None:
                var_docs.append(doc)
        facts = build_facts(ModuleInput(unit, documents, var_docs), self.options.catalog)
        facts.failures.extend(failures.failures)
        only = {self.display(p) for p in module.only} if module.only is not None else None
        found = [f for f in self.judge(facts) if only is None or f.file in only]
        self.findings.extend(found)
        self.inventory.extend(i for i in self.inventory_of(facts) if only is None or i.file in only)

    def judge(self, facts: FactSet) -> Iterable[Finding]:
        for rule_id, rule in REGISTRY.items():
            if rule.check is None or (rule_id in self.options.disabled and rule.meta.suppressible):
                continue
            for finding in rule.check(facts, self.ctx):
                if rule_id in self.options.severity_overrides and rule.meta.suppressible:
                    finding.severity = self.options.severity_overrides[rule_id]
                yield finding

    def inventory_of(self, facts: FactSet) -> Iterable[InventoryItem]:
        ctx = self.ctx
        for pc in facts.providers:
            view = ctx.provider_view(facts, pc)
            verdict = (
                Verdict.SOVEREIGN
                if view.neutral
                else judge.operator(
                    view.attribution, ctx.profile, ctx.catalog, view.variant
                ).verdict
            )
            yield self._item(
                "provider", pc.address, pc.span.file, pc.span.line, view.attribution, verdict
            )
        for res in facts.resources:
            view = ctx.resource_view(facts, res)
            att = ctx.attributor.resource(res, view) if view.known else view.attribution
            if view.neutral:
                verdict = Verdict.SOVEREIGN
            else:
                verdict = judge.operator(att, ctx.profile, ctx.catalog, view.variant).verdict
            for loc in res.locations:
                if loc.resolved.value and view.entry is not None:
                    info = view.entry.region(loc.resolved.value, view.variant)
                    att = ctx.attributor.make(
                        att.provider_key,
                        (info.operator if info and info.operator else None) or att.operator_key,
                        att.basis,
                        info.country if info else None,
                        loc.resolved.value,
                    )
            if verdict is Verdict.SOVEREIGN and att.country is not None:
                verdict = judge.country(att.country, ctx.profile, ctx.catalog)
            kind = "data" if res.mode == "data" else "resource"
            yield self._item(kind, res.address, res.span.file, res.span.line, att, verdict)
        for be in facts.backends:
            att, neutral = ctx.attributor.backend(be)
            verdict = (
                Verdict.SOVEREIGN
                if neutral
                else judge.operator(att, ctx.profile, ctx.catalog).verdict
            )
            if verdict is Verdict.SOVEREIGN and not neutral:
                country_verdict = judge.country(att.country, ctx.profile, ctx.catalog)
                if country_verdict is Verdict.NOT_SOVEREIGN:
                    verdict = country_verdict
            yield self._item("backend", be.address, be.span.file, be.span.line, att, verdict)

    @staticmethod
    def _item(
        kind: str, address: str, file: str, line: int, att: object, verdict: Verdict
    ) -> InventoryItem:
        from sovlint.model import Attribution

        assert isinstance(att, Attribution)
        return InventoryItem(
            kind,
            address,
            file,
            line,
            att.provider_key,
            att.operator,
            att.jurisdiction,
            att.region,
            att.country,
            verdict,
        )

    def apply_suppressions(self) -> None:
        by_file: dict[str, list[Suppression]] = self.suppressions
        extra: list[Finding] = []
        for file, sups in sorted(by_file.items()):
            for sup in sups:
                problem = sup.problem
                unknown = [r for r in sup.rule_ids if r not in REGISTRY]
                if problem is None and unknown:
                    problem = f"sovlint:ignore names unknown rule id(s) {', '.join(unknown)}"
                if problem is None and sup.expired(self.options.today):
                    problem = f"suppression of {', '.join(sup.rule_ids)} expired on {sup.until}"
                if problem is not None:
                    extra.append(
                        Finding(
                            SOV003.id,
                            SOV003.severity,
                            problem,
                            file,
                            sup.comment_line,
                            sup.comment_line,
                            file,
                            None,
                            None,
                            None,
                            None,
                            None,
                            SOV003.fix,
                            sup.comment_line,
                        )
                    )
                    continue
                for finding in self.findings:
                    if (
                        finding.file == file
                        and finding.rule_id in sup.rule_ids
                        and REGISTRY[finding.rule_id].meta.suppressible
                        and sup.target_line in (finding.line, finding.block_line)
                    ):
                        finding.suppressed = True
                        finding.suppression_reason = sup.reason or "(no reason given)"
        if SOV003.id not in self.options.disabled:
            self.findings.extend(extra)

    def run(self) -> ScanResult:
        disc: Discovery = discover(
            self.options.paths, self.options.exclude, self.options.follow_symlinks
        )
        orphan = FactSet(unit="")
        for path, message in disc.problems:
            orphan.failures.append(ParseFailure(self.display(path), 1, message))
        for directory in sorted(disc.modules):
            self.scan_module(disc.modules[directory])
        self.findings.extend(self.judge(orphan))
        self.apply_suppressions()
        self.findings.sort(key=Finding.sort_key)
        self.inventory.sort(key=lambda i: (i.file, i.line, i.address))
        return ScanResult(self.findings, self.inventory, sorted(set(self.files)))


def scan(options: ScanOptions) -> ScanResult:
    return _Scanner(options).run()


def exit_code(findings: list[Finding], fail_on: Severity) -> int:
    for f in findings:
        if f.suppressed:
            continue
        if f.rule_id == "SOV001" or f.severity >= fail_on:
            return 1
    return 0
