"""Run sovlint's rules for Checkov's external checks (`sovlint checkov-dir`).

The check modules in `sovlint/checkov_checks/` run inside Checkov's own
environment, which can never also hold sovlint's dependencies (Checkov's
bc-python-hcl2 and sovlint's python-hcl2 both own the module `hcl2`). They load
the `sovlint` package by path and call `verdict()` here. Everything reachable
from this module is standard library plus PyYAML; it never imports `checkov`.

How one verdict is reached:

1. Checkov's graph (`check.graph`, set by Checkov's registry before each check)
   holds every block Checkov parsed, already evaluated (variables, tfvars,
   module inputs). It is indexed once per process.
2. The entity being checked is found in it; its root module and every module
   instance under it are converted to sovlint's HCL model
   (`frontends/terraform/checkov_conf.py`) and evaluated by sovlint's own
   fact builder and module walk (`ModuleTree`), then judged by the rule
   registry (`engine`), with `sovlint:ignore` comments applied. This happens
   once per root module; each check then looks its entity up.
3. The profile comes from `SOVLINT_PROFILE`, else from the `.sovlint.yaml`
   found upward from the root module, exactly as `sovlint scan` finds it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sovlint.hclmodel import Block, Body, Document
from sovlint.model import Finding
from sovlint.rules import REGISTRY

if TYPE_CHECKING:
    from sovlint.frontends.terraform.modules import ModuleTree

LOG = logging.getLogger("sovlint.checkov")

PROFILE_ENV = "SOVLINT_PROFILE"

# One Checkov check id per sovlint rule (a public contract, documented in docs/checkov.md),
# and the Checkov block types each one is registered for.
TERRAFORM_CHECKS: dict[str, tuple[str, ...]] = {
    "SOV100": ("provider",),
    "SOV101": ("resource", "data"),
    "SOV102": ("provider", "resource", "data"),
    "SOV103": ("provider", "resource", "data"),
    "SOV104": ("provider", "resource", "data"),
    "SOV106": ("provider", "resource", "data"),
    "SOV107": ("module",),
    "SOV203": ("provider", "resource", "data", "module"),
}

# Kubernetes objects (Checkov's kubernetes, helm and kustomize frameworks).
KUBERNETES_CHECKS: tuple[str, ...] = ("SOV200", "SOV201", "SOV202", "SOV203")

BLOCK_TYPES = ("terraform", "provider", "resource", "data", "module")


def check_id(rule_id: str) -> str:
    """SOV101 -> CKV_SOV_101."""
    return f"CKV_SOV_{rule_id[3:]}"


def rule_id(ckv_id: str) -> str:
    """CKV_SOV_101 -> SOV101."""
    return f"SOV{ckv_id.rsplit('_', 1)[1]}"


def severity_name(rule: str) -> str:
    """The rule's severity as Checkov's `BcSeverities` name (HIGH, MEDIUM, LOW, INFO)."""
    return REGISTRY[rule].meta.severity.name


@dataclass(frozen=True)
class Result:
    """What a check reports: PASSED, FAILED, SKIPPED or UNKNOWN (not reported by Checkov)."""

    status: str
    details: tuple[str, ...] = ()
    suppress_comment: str = ""


# -- addresses ------------------------------------------------------------------------

_MODULE_SEGMENT = re.compile(r"module\.[^.\[\]]+(?:\[[^\]]*\])?\.")
_MODULE_NAME = re.compile(r"module\.([^.\[\]]+(?:\[[^\]]*\])?)\.")


def split_module_prefix(address: str) -> tuple[str, str]:
    """'module.a.module.b["x"].aws_s3_bucket.c' -> ('module.a.module.b["x"].', 'aws_s3_bucket.c')."""
    pos = 0
    while True:
        m = _MODULE_SEGMENT.match(address, pos)
        if m is None:
            return address[:pos], address[pos:]
        pos = m.end()


def sovlint_address(block_type: str, checkov_address: str) -> str:
    """Checkov's entity name -> sovlint's address.

    resource `aws_s3_bucket.a` -> `aws_s3_bucket.a`; data `aws_region.r` -> `data.aws_region.r`;
    provider `aws.default` -> `provider.aws`, `aws.us` -> `provider.aws.us`;
    module `net` -> `module.net`, `module.a.net` -> `module.a.module.net`.
    """
    prefix, local = split_module_prefix(checkov_address)
    if block_type == "data":
        return f"{prefix}data.{local}"
    if block_type == "provider":
        name, _, alias = local.partition(".")
        return f"{prefix}provider.{name}" + (f".{alias}" if alias and alias != "default" else "")
    if block_type == "module":
        return f"{prefix}module.{local}"
    return prefix + local


def checkov_name(address: str) -> str:
    """sovlint's address -> the resource name Checkov prints (the inverse of `sovlint_address`)."""
    prefix, local = split_module_prefix(address)
    if local.startswith("module."):
        return prefix + local[len("module.") :]
    if local.startswith("data."):
        return prefix + local[len("data.") :]
    if local.startswith("provider."):
        name, _, alias = local[len("provider.") :].partition(".")
        return f"{prefix}{name}.{alias or 'default'}"
    return prefix + local


# -- Checkov's graph --------------------------------------------------------------------

_INSTANCE = re.compile(
    r"^path:(?P<path>.*?), name:(?P<name>.*?), nested_tf_module:(?P<nested>.*), foreach_idx:(?P<idx>.*)$",
    re.DOTALL,
)


def _indexed(name: str, idx: object) -> str:
    if idx is None or idx == "None":
        return name
    if isinstance(idx, int) and not isinstance(idx, bool):
        return f"{name}[{idx}]"
    if isinstance(idx, str) and idx.isdigit():
        return f"{name}[{idx}]"
    return f'{name}["{idx}"]'


def _field(node: object, name: str) -> object:
    if isinstance(node, Mapping):
        return node.get(name)
    return getattr(node, name, None)


def _parse_instance(text: str) -> Mapping[str, object] | None:
    """The `repr` of Checkov's TFModule: 'path:P, name:N, nested_tf_module:<json|None>, foreach_idx:I'."""
    m = _INSTANCE.match(text)
    if m is None:
        return None
    nested_text = m.group("nested").strip()
    try:
        nested = None if nested_text in ("None", "null", "") else json.loads(nested_text)
    except (ValueError, RecursionError):
        return None
    idx = m.group("idx").strip()
    return {
        "path": m.group("path"),
        "name": m.group("name"),
        "foreach_idx": None if idx == "None" else idx,
        "nested_tf_module": nested,
    }


def module_instance(source_module: object) -> tuple[str, tuple[str, ...]] | None:
    """Checkov's `source_module_object_` (a TFModule: path of the calling file, call name,
    count/for_each key, the calling module's own TFModule) -> (file of the root module's
    call, call names from the root down with their keys: ('many["a"]', 'disk'))."""
    node: object = source_module
    if isinstance(node, str):
        node = _parse_instance(node)
    names: list[str] = []
    root: str | None = None
    depth = 0
    while node is not None and depth < 1000:
        name, path = _field(node, "name"), _field(node, "path")
        if not isinstance(name, str) or not isinstance(path, str):
            return None
        names.append(_indexed(name, _field(node, "foreach_idx")))
        root = path
        node = _field(node, "nested_tf_module")
        depth += 1
    if root is None:
        return None
    return root, tuple(reversed(names))


@dataclass
class Vertex:
    """One block Checkov parsed (a node of its graph)."""

    block_type: str
    file: str  # absolute path
    address: str  # Checkov's __address__ ("" for terraform blocks)
    line: int
    root_dir: str
    names: tuple[str, ...]  # module instance (call names from the root); () in a root module
    config: Mapping[str, Any]

    def block(self) -> Block | None:
        from sovlint.frontends.terraform.checkov_conf import block_from_vertex

        return block_from_vertex(self.block_type, self.config)


def _graph_nodes(graph: Any) -> Iterable[Mapping[str, Any]]:
    """The attribute dicts of the nodes (rustworkx, Checkov's default; or networkx)."""
    networkx = type(graph).__module__.split(".", 1)[0] == "networkx"
    items = graph.nodes(data=True) if networkx else graph.nodes()
    for item in items:
        attrs = item[1] if isinstance(item, tuple) and len(item) == 2 else item
        if isinstance(attrs, Mapping):
            yield attrs


class GraphIndex:
    """Checkov's graph, indexed by entity and by module instance."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph  # keep it alive: the index is cached by id(graph)
        self.entities: dict[tuple[str, str, int], list[Vertex]] = {}
        self.modules: dict[tuple[str, tuple[str, ...]], list[Vertex]] = {}
        seen: set[tuple[object, ...]] = set()
        for attrs in _graph_nodes(graph):
            vertex = self._vertex(attrs)
            if vertex is None:
                continue
            identity = (vertex.block_type, vertex.address, vertex.file, vertex.line)
            if (*identity, vertex.root_dir, vertex.names) in seen:
                continue  # the same block twice (Checkov unrolling a module cycle)
            seen.add((*identity, vertex.root_dir, vertex.names))
            self.modules.setdefault((vertex.root_dir, vertex.names), []).append(vertex)
            if vertex.address:
                key = (vertex.block_type, vertex.address, vertex.line)
                self.entities.setdefault(key, []).append(vertex)

    @staticmethod
    def _vertex(attrs: Mapping[str, Any]) -> Vertex | None:
        block_type = attrs.get("block_type_")
        path = attrs.get("file_path_")
        config = attrs.get("config_")
        if block_type not in BLOCK_TYPES or not isinstance(path, str):
            return None
        if not isinstance(config, Mapping):
            return None
        source_module = attrs.get("source_module_object_")
        address = attrs.get("__address__")
        names: tuple[str, ...] = ()
        if source_module is None:
            root_dir = os.path.dirname(path)
        else:
            instance = module_instance(source_module)
            if instance is None:
                return None
            root_dir, names = os.path.dirname(instance[0]), instance[1]
            if isinstance(address, str) and address:
                # The address is what Checkov reports; it stays right where the chain of
                # calling modules does not (Checkov unrolls a module cycle until recursion fails).
                prefix, _ = split_module_prefix(address)
                names = tuple(_MODULE_NAME.findall(prefix))
        line = attrs.get("__start_line__")
        return Vertex(
            block_type=str(block_type),
            file=path,
            address=address if isinstance(address, str) else "",
            line=line if isinstance(line, int) else 0,
            root_dir=root_dir,
            names=names,
            config=config,
        )

    def entity(self, block_type: str, address: str, line: int, scanned_file: str) -> Vertex | None:
        """The vertex of the entity a check runs on. `scanned_file` is Checkov's path relative
        to the scanned directory ('/main.tf'), so it is matched as a path suffix."""
        suffix = scanned_file.replace("\\", "/").lstrip("/")
        found = [
            v
            for v in self.entities.get((block_type, address, line), [])
            if v.file.replace("\\", "/").endswith("/" + suffix) or v.file == suffix
        ]
        return found[0] if len(found) == 1 else None


_indexes: dict[int, GraphIndex] = {}


def graph_index(graph: Any) -> GraphIndex:
    index = _indexes.get(id(graph))
    if index is None or index.graph is not graph:
        index = _indexes[id(graph)] = GraphIndex(graph)
    return index


# -- settings: profile, catalog, configuration ------------------------------------------


class SettingsError(Exception):
    """A problem with the profile or `.sovlint.yaml` (reported on every entity: fail closed)."""


@dataclass
class Settings:
    catalog: Any  # sovlint.catalog.model.Catalog
    profile: Any  # sovlint.profiles.Profile
    disabled: frozenset[str]
    config_path: str | None


_settings: dict[tuple[str | None, str | None], Settings] = {}
_catalogs: dict[tuple[str, ...], Any] = {}


def config_start(path: str) -> str:
    """Where to look for `.sovlint.yaml`: the scanned file's directory, unless Checkov scans a
    file it rendered into a temporary directory (helm, kustomize): then the current directory."""
    directory = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
    temp = os.path.realpath(tempfile.gettempdir())
    cwd = os.path.realpath(os.getcwd())
    real = os.path.realpath(directory)
    if real.startswith(temp + os.sep) and not real.startswith(cwd + os.sep):
        return cwd
    return directory


def settings_for(directory: str) -> Settings:
    """The profile and catalog `sovlint scan` would use for a module in `directory`
    (the same steps as the CLI's `_load`, without the command line)."""
    from sovlint.catalog.load import CatalogError, load_catalog
    from sovlint.config import Config, find_config, load_config
    from sovlint.profiles import DEFAULT_PROFILE, apply_config, load_profile

    override = os.environ.get(PROFILE_ENV) or None
    try:
        found = find_config(Path(directory))
    except OSError:
        found = None
    key = (str(found) if found else None, override)
    if key in _settings:
        return _settings[key]
    try:
        config = load_config(found, set(REGISTRY)) if found else Config()
        extra = tuple(config.catalog)
        if extra not in _catalogs:
            _catalogs[extra] = load_catalog(extra_files=[Path(p) for p in extra])
        catalog = _catalogs[extra]
        profile = load_profile(override or config.profile or DEFAULT_PROFILE, catalog)
        profile = apply_config(profile, catalog, config)
    except CatalogError as exc:
        raise SettingsError(str(exc)) from None
    for name in (*config.allow_providers, *config.deny_providers):
        if name not in catalog.providers and name not in catalog.operators:
            raise SettingsError(
                f"{config.path}: {name!r} in allow_providers/deny_providers is neither a provider nor an operator key"
            )
    settings = Settings(catalog, profile, frozenset(config.disable), config.path)
    _settings[key] = settings
    return settings


# -- evaluating one root module ----------------------------------------------------------


@dataclass
class RootResult:
    findings: dict[tuple[str, str], list[Finding]] = field(default_factory=dict)
    known: set[tuple[str, str]] = field(default_factory=set)
    settings: Settings | None = None
    error: str | None = None


_results: dict[tuple[int, str], RootResult] = {}


_read: dict[str, frozenset[str]] = {}


def _read_files(vertices: Iterable[Vertex]) -> set[str]:
    """The files sovlint reads for these vertices' directories (x.tofu replaces x.tf)."""
    from sovlint.discovery import module_files

    allowed: set[str] = set()
    for directory in {os.path.dirname(v.file) for v in vertices}:
        if directory not in _read:
            _read[directory] = frozenset(str(p) for p in module_files(Path(directory)))
        allowed.update(_read[directory])
    return allowed


_sources: dict[str, Document | None] = {}
_TOP_LEVEL = ("terraform", "variable", "locals", "output", "provider", "resource", "data", "module")


def _source_document(path: str) -> Document | None:
    """The file as written, read with Checkov's own HCL parser (bc-python-hcl2, already in
    its process): the configuration dicts of Checkov's graph hold its partial evaluation
    (`lower(ASH)`, Python reprs of maps), so sovlint's evaluator reads the source and gives
    the verdict `sovlint scan` gives. None when the file cannot be read that way (the
    graph's dicts are used then)."""
    if path not in _sources:
        from sovlint.frontends.terraform.checkov_conf import block_from_conf, is_meta_key

        data = _hcl2_loads(path)
        if data is None:
            _sources[path] = None
            return None
        blocks: list[Block] = []
        for block_type in _TOP_LEVEL:
            for item in data.get(block_type, []) or []:
                if not isinstance(item, dict):
                    continue
                if block_type in ("terraform", "locals"):
                    blocks.append(block_from_conf(block_type, [], item))
                    continue
                for label, inner in item.items():
                    if is_meta_key(str(label)) or not isinstance(inner, dict):
                        continue
                    if block_type in ("resource", "data"):
                        for name, conf in inner.items():
                            if isinstance(conf, dict):
                                blocks.append(
                                    block_from_conf(block_type, [str(label), str(name)], conf)
                                )
                    else:
                        blocks.append(block_from_conf(block_type, [str(label)], inner))
        blocks.sort(key=lambda b: b.line)
        _sources[path] = Document(path, Body(blocks=blocks))
    return _sources[path]


def _hcl2_loads(path: str) -> dict[str, Any] | None:
    try:
        import hcl2  # Checkov's parser, imported only inside Checkov's process

        with open(path, encoding="utf-8") as fh:
            data = hcl2.loads(fh.read())
    except Exception:  # any failure: the caller falls back to Checkov's dicts
        return None
    return data if isinstance(data, dict) else None


def _json_document(path: str, var_file: bool) -> Document | None:
    from sovlint.frontends.terraform.hcl_json import parse_tf_json, parse_tfvars_json

    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        return parse_tfvars_json(text, path) if var_file else parse_tf_json(text, path)
    except Exception:  # unreadable or invalid: as Checkov sees it
        return None


def documents(vertices: Iterable[Vertex]) -> list[Document]:
    """Documents of one module instance: every configuration file of its directory as
    written (see _source_document; variables and locals included), or, for a file that
    cannot be read that way, its vertices' dicts."""
    vertices = list(vertices)
    allowed = _read_files(vertices)
    by_file: dict[str, list[tuple[int, Block]]] = {}
    sources: dict[str, Document] = {}
    for path in sorted(allowed):
        source = _json_document(path, False) if path.endswith(".json") else _source_document(path)
        if source is not None:
            sources[path] = source
    for v in vertices:
        if v.file not in allowed or v.file in sources:
            continue
        block = v.block()
        if block is not None:
            by_file.setdefault(v.file, []).append((block.line, block))
    docs = list(sources.values())
    for path in sorted(by_file):
        blocks = [b for _, b in sorted(by_file[path], key=lambda item: item[0])]
        docs.append(Document(path, Body(blocks=blocks)))
    return sorted(docs, key=lambda d: d.path)


def var_documents(root_dir: str) -> list[Document]:
    """terraform.tfvars and *.auto.tfvars of a root module, in Terraform's order."""
    from sovlint.discovery import Discovery, _add_directory_files
    from sovlint.frontends.terraform.checkov_conf import value_expr
    from sovlint.hclmodel import Attribute

    try:
        names = sorted(os.listdir(root_dir))
    except OSError:
        return []
    scratch = Discovery()
    _add_directory_files(scratch, Path(root_dir), names, ())
    mod = scratch.modules.get(Path(root_dir))
    out = []
    for path in mod.var_files if mod else []:
        if path.name.endswith(".json"):
            doc = _json_document(str(path), True)
            if doc is not None:
                out.append(doc)
            continue
        data = _hcl2_loads(str(path))
        if data is None:
            continue
        body = Body()
        for name, value in data.items():
            unwrapped = value[0] if isinstance(value, list) and len(value) == 1 else value
            body.attributes[name] = Attribute(name, value_expr(unwrapped, 0), 0, 0)
        out.append(Document(str(path), body))
    return out


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
            files = [_source_document(str(p)) for p in module_files(path)]
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
    from sovlint.engine import ScanOptions, _Scanner
    from sovlint.readfile import ReadError, read_text
    from sovlint.suppression import parse_suppressions

    root_docs = documents(index.modules.get((root_dir, ()), []))
    tree = _module_tree(settings, index, root_dir)
    fact_sets = tree.evaluate(Path(root_dir), root_docs, var_documents(root_dir))
    scanner = _Scanner(
        ScanOptions(
            paths=[],
            profile=settings.profile,
            catalog=settings.catalog,
            disabled=settings.disabled,
        )
    )
    findings: list[Finding] = []
    files: set[str] = set()
    for facts in fact_sets:
        findings.extend(scanner.judge(facts))
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
    for path in sorted(files):
        try:
            scanner.suppressions[path] = parse_suppressions(path, read_text(Path(path)))
        except ReadError:
            continue
    scanner.findings = findings
    scanner.apply_suppressions()
    for f in scanner.findings:
        result.findings.setdefault((f.address, f.file), []).append(f)


# -- the verdict for one check on one entity ---------------------------------------------


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
    if vertex.file not in _read_files([vertex]):
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
    return _outcome([f for f in result.findings.get(key, []) if f.rule_id == rule])


# -- Kubernetes ------------------------------------------------------------------------------


@dataclass
class KubeFile:
    """The objects of one manifest file as sovlint reads it, judged once."""

    objects: list[Any] = field(default_factory=list)  # sovlint.model.K8sObject
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None


_kube_files: dict[str, KubeFile] = {}
_kube_converted: dict[tuple[str, int, str], KubeFile] = {}


def _judge_objects(
    objects: list[Any], settings: Settings, file: str, text: str | None
) -> list[Finding]:
    """Findings of sovlint's Kubernetes rules on these objects, with `sovlint:ignore` comments
    and `sovlint.io/ignore` annotations applied exactly as `sovlint scan` applies them."""
    from sovlint.engine import ScanOptions, _Scanner
    from sovlint.frontends.kubernetes.scan import annotation_suppression
    from sovlint.model import FactSet
    from sovlint.suppression import parse_suppressions

    scanner = _Scanner(
        ScanOptions(
            paths=[], profile=settings.profile, catalog=settings.catalog, disabled=settings.disabled
        )
    )
    facts = FactSet(unit=file, files=[file], k8s_objects=list(objects))
    scanner.findings = [
        f for f in scanner.judge(facts) if REGISTRY[f.rule_id].meta.frameworks != ("terraform",)
    ]
    sups = parse_suppressions(file, text) if text is not None else []
    for obj in objects:
        sup = annotation_suppression(obj)
        if sup is not None:
            sups.append(sup)
    scanner.suppressions[file] = sups
    scanner.apply_suppressions()
    return [f for f in scanner.findings if f.rule_id in KUBERNETES_CHECKS]


def _kube_file(path: str) -> KubeFile | None:
    """The file parsed by sovlint's own reader (exact lines), or None when it cannot be
    (a file Checkov rendered and removed, a file sovlint rejects: SOV001 in `sovlint scan`)."""
    if path in _kube_files:
        return _kube_files[path]
    from sovlint.frontends.kubernetes.objects import LineMap, build_object, object_roots
    from sovlint.frontends.kubernetes.scan import parse_stream
    from sovlint.readfile import ReadError, read_text

    result: KubeFile | None = None
    try:
        text = read_text(Path(path))
    except ReadError:
        text = None
    if text is not None:
        docs, error = parse_stream(text, path.lower().endswith(".json"))
        if error is None:
            lines = LineMap(path)
            result = KubeFile(
                [
                    build_object(root, api, kind, lines)
                    for doc in docs
                    for root, api, kind in object_roots(doc.root)
                ]
            )
            try:
                settings = settings_for(config_start(path))
            except SettingsError as exc:
                result.error = f"sovlint configuration error: {exc}"
            else:
                result.findings = _judge_objects(result.objects, settings, path, text)
    if result is not None:
        _kube_files[path] = result
    return result


def _identity(conf: Mapping[str, Any]) -> tuple[str, str | None, str | None]:
    meta = conf.get("metadata")
    name = namespace = None
    if isinstance(meta, Mapping):
        name = meta.get("name") if isinstance(meta.get("name"), str) else None
        namespace = meta.get("namespace") if isinstance(meta.get("namespace"), str) else None
        if name is None and isinstance(meta.get("generateName"), str):
            name = f"{meta['generateName']}*"
    kind = conf.get("kind")
    return (kind if isinstance(kind, str) else "", name, namespace)


def _kube_object(path: str, conf: Mapping[str, Any]) -> tuple[Any, KubeFile] | None:
    """sovlint's object for Checkov's entity: from the file as sovlint reads it when the object
    is there, else (rendered by helm or kustomize) converted from Checkov's dict."""
    identity = _identity(conf)
    line = conf.get("__startline__")
    parsed = _kube_file(path)
    if parsed is not None:
        same = [o for o in parsed.objects if (o.kind, o.name, o.namespace) == identity]
        if len(same) > 1:
            same = [o for o in same if o.span.line == line]
        if len(same) == 1:
            return same[0], parsed
    key = (path, line if isinstance(line, int) else 0, json.dumps(identity))
    if key not in _kube_converted:
        from sovlint.frontends.kubernetes.checkov_conf import to_node
        from sovlint.frontends.kubernetes.objects import LineMap, build_object, object_roots

        converted = KubeFile()
        roots = list(object_roots(to_node(conf)))
        if roots:
            root, api, kind = roots[0]
            converted.objects = [build_object(root, api, kind, LineMap(path))]
            try:
                settings = settings_for(config_start(path))
            except SettingsError as exc:
                converted.error = f"sovlint configuration error: {exc}"
            else:
                converted.findings = _judge_objects(converted.objects, settings, path, None)
        _kube_converted[key] = converted
    converted = _kube_converted[key]
    return (converted.objects[0], converted) if converted.objects else None


def kube_verdict(scanned_file: str, conf: Mapping[str, Any], rule: str) -> Result:
    """The result of sovlint rule `rule` on the Kubernetes object `conf` Checkov read from
    `scanned_file` (an absolute path in Checkov's Kubernetes runner)."""
    path = os.path.abspath(scanned_file)
    try:
        found = _kube_object(path, conf)
    except Exception as exc:  # fail closed, and say so once
        LOG.exception("sovlint could not evaluate %s", path)
        return Result("FAILED", (f"sovlint internal error: {type(exc).__name__}: {exc}",))
    if found is None:
        return Result("UNKNOWN")  # not a cluster object for sovlint (kubeconfig, kustomization)
    obj, source = found
    if source.error is not None:
        return Result("FAILED", (source.error,))
    try:
        settings = settings_for(config_start(path))
    except SettingsError as exc:
        return Result("FAILED", (f"sovlint configuration error: {exc}",))
    if rule in settings.disabled:
        return Result("UNKNOWN")
    own = [
        f
        for f in source.findings
        if f.rule_id == rule
        and f.block_line == obj.span.line
        and (f.address == obj.address or f.address.startswith(obj.address + "/"))
    ]
    return _outcome(own)


def _outcome(found: list[Finding]) -> Result:
    active = [f for f in found if not f.suppressed]
    if active:
        return Result("FAILED", _details(active))
    if found:
        reasons = sorted({f.suppression_reason or "(no reason given)" for f in found})
        return Result("SKIPPED", _details(found), "sovlint:ignore: " + "; ".join(reasons))
    return Result("PASSED")


def _details(findings: list[Finding]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f"{f.rule_id}: {f.message}" for f in findings))


__all__ = [
    "KUBERNETES_CHECKS",
    "PROFILE_ENV",
    "TERRAFORM_CHECKS",
    "Result",
    "check_id",
    "checkov_name",
    "kube_verdict",
    "rule_id",
    "severity_name",
    "sovlint_address",
    "verdict",
]
