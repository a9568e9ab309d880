"""The scan pipeline: discover -> parse into facts -> judge with rules -> findings and inventory."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sovlint.cache import digest
from sovlint.catalog.model import Catalog
from sovlint.discovery import Discovery, TerraformModule, discover, module_files
from sovlint.hclmodel import Document
from sovlint.model import Backend, FactSet, Finding, InventoryItem, ParseFailure, Severity, Span
from sovlint.profiles import Profile
from sovlint.readfile import DEFAULT_MAX_FILE_SIZE, ReadError, read_text
from sovlint.rules import REGISTRY
from sovlint.rules.base import Context
from sovlint.rules.sov003_suppression_invalid import RULE as SOV003
from sovlint.shard import shard_of

if TYPE_CHECKING:
    from sovlint.cache import Cache
    from sovlint.frontends.terraform.modules import ModuleTree
from sovlint.suppression import Suppression, parse_suppressions


@dataclass
class ScanOptions:
    paths: list[Path]
    profile: Profile
    catalog: Catalog
    exclude: tuple[str, ...] = ()
    var_files: tuple[Path, ...] = ()
    variables: tuple[tuple[str, str], ...] = ()  # --var NAME=VALUE, applied last
    env_variables: tuple[tuple[str, str], ...] = ()  # TF_VAR_NAME (opt-in), applied first
    source: Path | None = None  # configuration directory that plan findings are mapped back to
    cache: Cache | None = None  # parsed-file cache (None: no cache)
    jobs: int = 1  # processes for parsing
    shard: tuple[int, int] | None = None  # (index, count): judge only this shard's roots and files
    disabled: frozenset[str] = frozenset()
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    follow_symlinks: bool = False
    render: tuple[str, ...] = ()  # --render helm / kustomize: run those tools on charts/overlays
    stdin: str | None = None  # `sovlint scan -`: a manifest stream read from standard input
    today: _dt.date = field(default_factory=_dt.date.today)
    inline_suppressions: bool = True  # False: sovlint:ignore comments suppress nothing
    max_suppression_days: int | None = None  # a comment accepting a finding longer is SOV003
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


def _sets_values(only: set[str], documents: list[Document], var_docs: list[Document]) -> bool:
    """Whether a file passed explicitly defines values that other files of its module use
    (a tfvars file, `variable` or `locals` blocks): then the whole module is reported."""
    if any(doc.path in only for doc in var_docs):
        return True
    return any(
        doc.path in only and bool(doc.body.blocks_of("variable") or doc.body.blocks_of("locals"))
        for doc in documents
    )


def _variables_document(origin: str, pairs: tuple[tuple[str, str], ...]) -> list[Document]:
    """Variables given outside files, as a var-file document (Terraform's precedence order)."""
    if not pairs:
        return []
    from sovlint.hclmodel import Attribute, Body, Literal

    body = Body()
    for name, value in pairs:
        body.attributes[name] = Attribute(name, Literal(value, 0), 0, 0)
    return [Document(path=origin, body=body)]


def env_variables(environ: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """TF_VAR_name=value pairs from an environment, sorted for determinism."""
    return tuple(
        sorted(
            (k[len("TF_VAR_") :], v)
            for k, v in environ.items()
            if k.startswith("TF_VAR_") and len(k) > 7
        )
    )


class _Scanner:
    def __init__(self, options: ScanOptions) -> None:
        self.options = options
        self.ctx = Context(options.catalog, options.profile)
        self.findings: list[Finding] = []
        self.inventory: list[InventoryItem] = []
        self.files: list[str] = []
        self.suppressions: dict[str, list[Suppression]] = {}
        self.failures = FactSet(unit="")
        self._documents: dict[tuple[Path, bool], Document | None] = {}
        self._source_index: tuple[dict[str, Span], list[Backend]] | None = None
        self._preparsed: dict[tuple[Path, bool], dict[str, Any]] = {}
        self._texts: dict[Path, str] = {}
        self._shown: dict[Path, str] = {}

    def display(self, path: Path) -> str:
        """Memoised: os.path.relpath is costly and every file is named many times."""
        shown = self._shown.get(path)
        if shown is None:
            shown = self._shown[path] = display_path(path, self.options.cwd)
        return shown

    def read(self, path: Path) -> str | None:
        display = self.display(path)
        try:
            text = self._texts.pop(path, None) or read_text(path, self.options.max_file_size)
        except ReadError as exc:
            self.failures.failures.append(ParseFailure(display, exc.line, str(exc)))
            return None
        self.suppressions[display] = parse_suppressions(display, text)
        return text

    def load(self, path: Path, var_file: bool = False) -> Document | None:
        """Read and parse one file once; failures are recorded once, whoever asks."""
        from sovlint.frontends.terraform.hcl_native import HclSyntaxError

        key = (path, var_file)
        if key in self._documents:
            return self._documents[key]
        self.files.append(self.display(path))
        doc: Document | None = None
        text = self.read(path)
        if text is not None:
            display = self.display(path)
            try:
                doc = self._parse_cached(path, text, display, var_file)
            except HclSyntaxError as exc:
                self.failures.failures.append(ParseFailure(display, exc.line, str(exc)))
        self._documents[key] = doc
        return doc

    def preparse(self, disc: Discovery) -> None:
        """Parse the discovered Terraform files on `jobs` processes, skipping cached ones."""
        from sovlint.parallel import preparse

        modules = list(disc.modules.values())
        if self.options.shard is not None:
            index, count = self.options.shard
            modules = [m for m in modules if shard_of(self.display(m.directory), count) == index]
        files = [(p, False) for m in modules for p in m.files]
        files += [(p, True) for m in modules for p in m.var_files]
        cache = self.options.cache
        if self.options.jobs > 1 and cache is not None and cache.enabled:
            files = [(p, var) for p, var in files if not self._cached(cache, p, var)]
        self._preparsed = preparse(files, self.options.jobs, self.options.max_file_size, cache)

    def _cached(self, cache: Cache, path: Path, var_file: bool) -> bool:
        from sovlint.frontends.terraform.parse import cache_key

        try:
            text = read_text(path, self.options.max_file_size)
        except ReadError:
            return True  # nothing to parse: the main pass reports it
        self._texts[path] = text  # read once: the main pass takes it from here
        return cache.has("hcl", cache_key(cache, path, var_file, text))

    def _parse_cached(self, path: Path, text: str, display: str, var_file: bool) -> Document:
        """Parse through the content cache: the same bytes parse to the same document."""
        from sovlint.frontends.terraform.hcl_native import HclSyntaxError
        from sovlint.frontends.terraform.parse import (
            cache_key,
            from_entry,
            parse_file,
            parse_to_entry,
        )

        pre = self._preparsed.pop((path, var_file), None)
        if pre and pre.get("digest") == digest(text):
            return from_entry(pre, display, text)
        cache = self.options.cache
        if cache is None or not cache.enabled:
            return parse_file(path, text, display, var_file)
        key = cache_key(cache, path, var_file, text)
        hit = cache.get("hcl", key)
        if isinstance(hit, dict):
            try:
                return from_entry(hit, display, text)
            except (KeyError, TypeError, ValueError):
                pass  # an entry of another shape: parse again and overwrite it
        entry, doc = parse_to_entry(path, text, display, var_file)
        cache.put("hcl", key, entry)
        if doc is None:
            raise HclSyntaxError(str(entry["error"]), int(entry["line"]))
        return doc

    def load_all(self, paths: Iterable[Path], var_file: bool = False) -> list[Document]:
        return [doc for doc in (self.load(p, var_file) for p in paths) if doc is not None]

    def load_directory(self, directory: Path) -> list[Document]:
        return self.load_all(module_files(directory))

    def scan_root(
        self, tree: ModuleTree, module: TerraformModule, documents: list[Document]
    ) -> None:
        """A root module and every module it calls, reported as one unit."""
        var_docs = [
            *_variables_document("TF_VAR_", self.options.env_variables),
            *self.load_all([*module.var_files, *self.options.var_files], var_file=True),
            *_variables_document("--var", self.options.variables),
        ]
        fact_sets = tree.evaluate(module.directory, documents, var_docs)
        only = {self.display(p) for p in module.only} if module.only is not None else None
        if only is not None and _sets_values(only, documents, var_docs):
            only = None  # a changed variable, local or tfvars value is judged where it is used
        root = self.display(module.directory)
        for index, facts in enumerate(fact_sets):
            for finding in self.judge(facts):
                if only is None or finding.file in only:
                    if index:  # a called module: judged with this root's inputs and providers
                        finding.callers = (root,)
                    self.findings.append(finding)
            self.inventory.extend(
                i for i in self.inventory_of(facts) if only is None or i.file in only
            )

    def scan_terraform(self, disc: Discovery) -> None:
        """Roots are the scanned modules no other scanned module calls; children are judged
        through their callers, with the caller's inputs and providers."""
        from sovlint.frontends.terraform.modules import ModuleTree

        tree = ModuleTree(self.options.catalog, self.load_directory, self.display)
        if self.options.shard is not None:
            self.scan_terraform_shard(tree, disc, *self.options.shard)
            return
        documents = {d: self.load_all(m.files) for d, m in sorted(disc.modules.items())}
        called: set[Path] = set()
        for directory, docs in documents.items():
            called.update(p for p in tree.local_calls(directory, docs) if p != directory)
        for directory, docs in documents.items():
            module = disc.modules[directory]
            if directory in called and module.only is None:
                continue
            self.scan_root(tree, module, docs)

    def scan_terraform_shard(
        self, tree: ModuleTree, disc: Discovery, index: int, count: int
    ) -> None:
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
        for directory in sorted(disc.modules):
            if shard_of(self.display(directory), count) != index:
                continue
            module = disc.modules[directory]
            callers = maybe_callers.get(directory, set()) & set(disc.modules)
            if module.only is None and any(
                directory in tree.local_calls(c, self.load_all(disc.modules[c].files))
                for c in sorted(callers)
            ):
                continue  # a child: judged through its caller, in the caller's shard
            self.scan_root(tree, module, self.load_all(module.files))

    def scan_plans(self, disc: Discovery) -> None:
        """Terraform JSON plans/state among the other files; taken out of `disc.others`."""
        if not any(path.name.endswith(".json") for path in disc.others):
            return  # (the plan reader's imports are not free: pre-commit runs on every commit)
        from sovlint.frontends.terraform.plan import (
            PlanError,
            looks_like_plan,
            map_to_source,
            plan_facts,
        )

        remaining = []
        for path in disc.others:
            if not path.name.endswith(".json"):
                remaining.append(path)
                continue
            try:
                text = read_text(path, self.options.max_file_size)
            except ReadError:
                remaining.append(path)  # the manifest frontend reports unreadable files
                continue
            if not looks_like_plan(text):
                remaining.append(path)
                continue
            display = self.display(path)
            self.files.append(display)
            try:
                facts = plan_facts(text, display, self.options.catalog)
            except PlanError as exc:
                self.failures.failures.append(ParseFailure(display, exc.line, str(exc)))
                continue
            if self.options.source is not None:
                spans, backends = self.source_index(self.options.source)
                map_to_source(facts, spans)
                facts.backends.extend(backends)
            for finding in self.judge(facts):
                self.findings.append(finding)
            self.inventory.extend(self.inventory_of(facts))
        disc.others[:] = remaining

    def source_index(self, directory: Path) -> tuple[dict[str, Span], list[Backend]]:
        """Configuration addresses -> source spans (and backends) for mapping a plan back to .tf files."""
        if self._source_index is None:
            from sovlint.frontends.terraform.modules import ModuleTree

            spans: dict[str, Span] = {}
            backends: list[Backend] = []
            tree = ModuleTree(self.options.catalog, self.load_directory, self.display)
            documents = self.load_directory(directory)
            root = discover([directory]).modules.get(directory, TerraformModule(directory))
            var_docs = self.load_all(root.var_files, var_file=True)
            for facts in tree.evaluate(directory, documents, var_docs):
                spans.update({r.address: r.span for r in facts.resources})
                spans.update({p.address: p.span for p in facts.providers if not p.declared_only})
                backends.extend(facts.backends)
            self._source_index = (spans, backends)
        return self._source_index

    def scan_kubernetes(self, paths: list[Path]) -> None:
        """Manifests, Helm charts, Kustomize overlays and stdin (frontends/kubernetes)."""
        if not paths and self.options.stdin is None:
            return  # nothing for the Kubernetes frontend: do not import it
        from sovlint.frontends.kubernetes.scan import KubeOptions, use_cache
        from sovlint.frontends.kubernetes.scan import scan as scan_manifests
        from sovlint.rules.kubernetes import chart_item, inventory_item

        use_cache(self.options.cache)
        try:
            unit = scan_manifests(
                paths,
                KubeOptions(
                    display=self.display,
                    render=frozenset(self.options.render),
                    max_file_size=self.options.max_file_size,
                    stdin=self.options.stdin,
                ),
            )
        finally:
            use_cache(None)
        self.files.extend(unit.files)
        for file, sups in unit.suppressions.items():
            self.suppressions.setdefault(file, []).extend(sups)
        self.findings.extend(self.judge(unit.facts))
        self.inventory.extend(inventory_item(self.ctx, obj) for obj in unit.facts.k8s_objects)
        self.inventory.extend(chart_item(c) for c in unit.facts.k8s_charts if not c.rendered)

    def judge(self, facts: FactSet) -> Iterable[Finding]:
        for rule_id, rule in REGISTRY.items():
            if rule.check is None or (rule_id in self.options.disabled and rule.meta.suppressible):
                continue
            for finding in rule.check(facts, self.ctx):
                if rule_id in self.options.severity_overrides and rule.meta.suppressible:
                    finding.severity = self.options.severity_overrides[rule_id]
                yield finding

    def inventory_of(self, facts: FactSet) -> Iterable[InventoryItem]:
        from sovlint.inventory import inventory

        return inventory(facts, self.ctx)

    def _suppression_policy(self, sup: Suppression) -> str | None:
        """Why the gate's own options refuse a well-formed comment (None: it applies)."""
        ids = ", ".join(sup.rule_ids)
        if not self.options.inline_suppressions:
            return f"suppression of {ids} not honoured: this run ignores inline suppressions"
        days = self.options.max_suppression_days
        if days is None:
            return None
        if sup.until is None:
            return f"suppression of {ids} has no expiry; this run accepts at most {days} days"
        if (sup.until - self.options.today).days > days:
            return (
                f"suppression of {ids} until {sup.until} is more than {days} days away; "
                "this run accepts at most that"
            )
        return None

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
                if problem is None:
                    problem = self._suppression_policy(sup)
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
                        finding.suppression_until = str(sup.until) if sup.until else None
                        finding.suppression_line = sup.comment_line
        if SOV003.id not in self.options.disabled:
            self.findings.extend(extra)

    def run(self) -> ScanResult:
        from sovlint.cache import default_dir

        cache_root = self.options.cache.root if self.options.cache is not None else None
        disc: Discovery = discover(
            self.options.paths,
            self.options.exclude,
            self.options.follow_symlinks,
            cache_root or default_dir(),
        )
        if self.options.shard is not None:
            index, count = self.options.shard
            unit = _shard_units(disc.others)
            mine = [p for p in disc.others if shard_of(self.display(unit(p)), count) == index]
            disc.others[:] = mine
            disc.problems[:] = [
                x for x in disc.problems if shard_of(self.display(x[0]), count) == index
            ]
        for path, message in disc.problems:
            self.failures.failures.append(ParseFailure(self.display(path), 1, message))
        self.preparse(disc)
        self.scan_terraform(disc)
        self.scan_plans(disc)
        self.scan_kubernetes(disc.others)
        self.findings.extend(self.judge(self.failures))
        self.apply_suppressions()
        from sovlint.dedupe import distinct_findings, distinct_items

        findings = distinct_findings(self.findings)
        inventory = distinct_items(self.inventory)
        return ScanResult(findings, inventory, sorted(set(self.files)))


def scan(options: ScanOptions) -> ScanResult:
    return _Scanner(options).run()


def exit_code(findings: list[Finding], fail_on: Severity) -> int:
    for f in findings:
        if f.suppressed:
            continue
        if f.rule_id == "SOV001" or f.severity >= fail_on:
            return 1
    return 0


def _shard_units(others: list[Path]) -> Callable[[Path], Path]:
    """What a shard owns among non-Terraform files: a Helm chart (the outermost directory
    with a Chart.yaml, subcharts included) goes whole to one shard, since a chart is read as
    one unit; any other file goes alone."""
    charts = {p.parent for p in others if p.name == "Chart.yaml"}

    def unit(path: Path) -> Path:
        owner = path
        for parent in path.parents:
            if parent in charts:
                owner = parent
        return owner

    return unit
