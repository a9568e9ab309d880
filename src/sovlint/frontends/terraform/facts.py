"""Build sovlint facts from the parsed files of one Terraform module (one directory)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sovlint.catalog.model import Catalog, Provider
from sovlint.hclmodel import (
    Attribute,
    Block,
    Body,
    Document,
    Expr,
    Expression,
    Literal,
    ObjectExpr,
    TupleExpr,
    literal_string,
)
from sovlint.model import (
    Backend,
    EndpointRef,
    FactSet,
    LocationRef,
    ProviderConfig,
    Resolved,
    Resource,
    Span,
    ValueRef,
)
from sovlint.netloc import host_of

from .evaluate import UNKNOWN, Binding, Evaluator

# Module-call arguments that are Terraform's own, not inputs.
_MODULE_META = {"source", "version", "providers", "count", "for_each", "depends_on"}
_RESOURCE_META = {"provider", "count", "for_each", "depends_on", "lifecycle"}


@dataclass
class ModuleInput:
    """One module instance to evaluate.

    A root module has its variable-definition files (in precedence order); a child
    module instead receives `inputs` from its caller's arguments and the provider
    configurations its caller passes (`inherited`, keyed by the child's own address).
    """

    unit: str
    documents: list[Document]
    var_files: list[Document] = field(default_factory=list)
    prefix: str = ""  # "module.net." for resources inside module "net"
    inputs: dict[str, Binding] = field(default_factory=dict)
    inherited: dict[str, ProviderConfig] = field(default_factory=dict)
    is_root: bool = True


@dataclass
class ModuleCall:
    """A `module` block: where its code comes from and what it is given."""

    name: str
    address: str
    source: str | None
    span: Span
    arguments: dict[str, Attribute]
    providers: dict[
        str, str
    ]  # child address ("provider.aws") -> caller address ("provider.aws.us")
    document: Document
    values: list[ValueRef] = field(default_factory=list)  # literal inputs, for egress checks


class _Builder:
    def __init__(self, module: ModuleInput, catalog: Catalog) -> None:
        self.module = module
        self.catalog = catalog
        self.facts = FactSet(unit=module.unit, files=[d.path for d in module.documents])
        self.required: dict[str, tuple[str | None, Span]] = {}
        self.calls: list[ModuleCall] = []
        self.prefix = module.prefix
        self.facts.inherited_providers = {
            f"{self.prefix}{key}": pc for key, pc in module.inherited.items()
        }
        self.evaluator = self._evaluator()

    # -- variables and locals -------------------------------------------------
    def _evaluator(self) -> Evaluator:
        variables: dict[str, Binding] = {}
        local_values: dict[str, Binding] = {}
        for doc in self.module.documents:
            for block in doc.body.blocks:
                if block.type == "variable" and block.labels:
                    default = block.body.attr("default")
                    if default is not None:
                        variables[block.labels[0]] = Binding(
                            default.value,
                            f"default of variable {block.labels[0]!r} at {doc.path}:{default.line}",
                        )
                elif block.type == "locals":
                    for attr in block.body.attributes.values():
                        local_values[attr.name] = Binding(
                            attr.value, f"local {attr.name!r} at {doc.path}:{attr.line}"
                        )
        for vdoc in self.module.var_files:
            for attr in vdoc.body.attributes.values():
                # Variables given outside files have no line: "--var region", "TF_VAR_region".
                glue = "" if vdoc.path.endswith("_") else " "
                where = f"{vdoc.path}:{attr.line}" if attr.line else f"{vdoc.path}{glue}{attr.name}"
                variables[attr.name] = Binding(attr.value, where)
        variables.update(self.module.inputs)
        return Evaluator(variables, local_values)

    def resolve(self, expr: Expr) -> Resolved:
        from sovlint.hclmodel import expr_text

        raw = expr_text(expr)
        value = self.evaluator.value(expr)
        if value is UNKNOWN or isinstance(value, (dict, list)) or value is None:
            return Resolved(raw, None, self.evaluator.origin(expr))
        text = value if isinstance(value, str) else str(value)
        origin = None if isinstance(expr, Literal) else self.evaluator.origin(expr)
        return Resolved(raw, text, origin)

    def is_null(self, expr: Expr) -> bool:
        """`region = null` (often `var.region` defaulting to null) means "not set": the
        provider's location applies, as Terraform does."""
        return self.evaluator.value(expr) is None

    def span(self, doc: Document, line: int, end_line: int = 0) -> Span:
        return Span(doc.path, line, end_line or line)

    # -- walk -----------------------------------------------------------------
    def build(self) -> FactSet:
        for doc in self.module.documents:
            for block in doc.body.blocks_of("terraform"):
                self._terraform_block(doc, block)
        provider_blocks: set[str] = set()
        for doc in self.module.documents:
            for block in doc.body.blocks:
                if block.type == "provider" and block.labels:
                    provider_blocks.add(block.labels[0])
                    self._provider(doc, block)
        for local_name, (source, span) in sorted(self.required.items()):
            # In a child module the declaration is a requirement; the configuration is the caller's.
            if (
                local_name not in provider_blocks
                and f"provider.{local_name}" not in self.module.inherited
            ):
                self.facts.providers.append(
                    ProviderConfig(
                        address=f"{self.prefix}provider.{local_name}",
                        local_name=local_name,
                        alias=None,
                        source=source,
                        span=span,
                        block_line=span.line,
                        declared_only=True,
                    )
                )
        for doc in self.module.documents:
            for block in doc.body.blocks:
                if block.type in ("resource", "data") and len(block.labels) >= 2:
                    self._resource(doc, block)
                elif block.type == "module" and block.labels:
                    self._module_call(doc, block)
        return self.facts

    def _terraform_block(self, doc: Document, block: Block) -> None:
        for rp in block.body.blocks_of("required_providers"):
            for attr in rp.body.attributes.values():
                source: str | None = None
                if isinstance(attr.value, ObjectExpr):
                    src = attr.value.get("source")
                    if isinstance(src, Literal) and isinstance(src.value, str):
                        source = src.value
                self.required[attr.name] = (source, self.span(doc, attr.line, attr.end_line))
        if not self.module.is_root:
            return  # Terraform ignores backend and cloud blocks outside the root module
        for backend in block.body.blocks_of("backend"):
            if backend.labels:
                self._backend(
                    doc, backend, backend.labels[0], f"terraform.backend.{backend.labels[0]}"
                )
        for cloud in block.body.blocks_of("cloud"):
            self._backend(doc, cloud, "cloud", "terraform.cloud")

    def _settings(
        self, doc: Document, body: Body, prefix: str = ""
    ) -> Iterator[tuple[str, Attribute, Resolved]]:
        for attr in body.attributes.values():
            if isinstance(attr.value, ObjectExpr):
                for key, item in attr.value.items:
                    yield f"{prefix}{attr.name}.{key}", attr, self.resolve(item)
            else:
                yield f"{prefix}{attr.name}", attr, self.resolve(attr.value)
        for nested in body.blocks:
            if not nested.labels:
                for key, attr, res in self._settings(doc, nested.body, f"{prefix}{nested.type}."):
                    yield key, attr, res

    def _backend(self, doc: Document, block: Block, kind: str, address: str) -> None:
        backend = Backend(
            address=address, kind=kind, span=self.span(doc, block.line, block.end_line)
        )
        self._fill_backend(doc, backend, block.body)
        self.facts.backends.append(backend)

    def _fill_backend(self, doc: Document, backend: Backend, body: Body) -> None:
        spec = self.catalog.backends.get(backend.kind)
        for key, attr, res in self._settings(doc, body):
            backend.settings[key] = res
            span = self.span(doc, _item_line(attr, key))
            if spec and key in spec.location_attributes:
                backend.locations.append(LocationRef(key, res, span))
            if spec and key in (*spec.endpoint_attributes, *spec.host_attributes) and res.value:
                host = host_of(res.value)
                if host:
                    backend.endpoints.append(EndpointRef(key, res.value, host, span))

    def provider_entry(self, local_name: str) -> Provider | None:
        source = self.required.get(local_name, (None, None))[0]
        inherited = self.module.inherited.get(f"provider.{local_name}")
        if not source and inherited is not None:
            source = inherited.source
        if source:
            return self.catalog.provider_by_source(source)
        return self.catalog.provider_by_source(
            f"hashicorp/{local_name}"
        ) or self.catalog.provider_by_prefix(local_name)

    def _provider(self, doc: Document, block: Block) -> None:
        local_name = block.labels[0]
        alias_attr = block.body.attr("alias")
        alias = self.resolve(alias_attr.value).value if alias_attr is not None else None
        address = f"{self.prefix}provider.{local_name}" + (f".{alias}" if alias else "")
        decl = self.required.get(local_name)
        pc = ProviderConfig(
            address=address,
            local_name=local_name,
            alias=alias,
            source=decl[0] if decl else None,
            span=self.span(doc, block.line, block.end_line),
            block_line=block.line,
        )
        entry = self.provider_entry(local_name)
        location_attrs = entry.provider_location_attributes if entry else ()
        endpoint_blocks = entry.endpoint_blocks if entry else ()
        for name in location_attrs:
            attr = block.body.attr(name)
            if attr is not None and not self.is_null(attr.value):
                pc.locations.append(
                    LocationRef(name, self.resolve(attr.value), self.span(doc, attr.line))
                )
        for attr in block.body.attributes.values():
            if attr.name in endpoint_blocks and isinstance(attr.value, ObjectExpr):
                for key, item in attr.value.items:
                    self._endpoint(doc, pc, f"{attr.name}.{key}", item, item.line or attr.line)
            else:
                res = self.resolve(attr.value)
                pc.settings[attr.name] = res
                if (
                    res.value is not None
                    and attr.name not in location_attrs
                    and attr.name != "alias"
                ):
                    pc.values.append(ValueRef(attr.name, res.value, self.span(doc, attr.line)))
        for nested in block.body.blocks:
            if nested.type in endpoint_blocks:
                for attr in nested.body.attributes.values():
                    self._endpoint(doc, pc, f"{nested.type}.{attr.name}", attr.value, attr.line)
        self.facts.providers.append(pc)

    def _endpoint(self, doc: Document, pc: ProviderConfig, key: str, expr: Expr, line: int) -> None:
        res = self.resolve(expr)
        if res.value:
            host = host_of(res.value)
            if host:
                pc.endpoints.append(EndpointRef(key, res.value, host, self.span(doc, line)))

    def _resource(self, doc: Document, block: Block) -> None:
        rtype, name = block.labels[0], block.labels[1]
        mode = "managed" if block.type == "resource" else "data"
        address = self.prefix + (f"{rtype}.{name}" if mode == "managed" else f"data.{rtype}.{name}")
        local_name = rtype.split("_", 1)[0]
        provider_address = f"{self.prefix}provider.{local_name}"
        meta = block.body.attr("provider")
        if meta is not None:
            text = meta.value.text if hasattr(meta.value, "text") else ""
            if isinstance(meta.value, Literal) and isinstance(meta.value.value, str):
                text = meta.value.value
            if text:
                parts = str(text).split(".")
                local_name = parts[0]
                provider_address = f"{self.prefix}provider." + ".".join(parts[:2])
        res = Resource(
            address=address,
            type=rtype,
            mode=mode,
            provider_local_name=local_name,
            provider_address=provider_address,
            span=self.span(doc, block.line, block.end_line),
        )
        entry = self.provider_entry(local_name)
        location_attrs = entry.resource_location_attributes if entry else ()
        for attr_name in location_attrs:
            attr = block.body.attr(attr_name)
            if attr is not None and not self.is_null(attr.value):
                res.locations.append(
                    LocationRef(attr_name, self.resolve(attr.value), self.span(doc, attr.line))
                )
        skip = set(location_attrs) | _RESOURCE_META
        res.values.extend(self._values(doc, block.body, "", skip))
        if rtype == "terraform_remote_state" and mode == "data":
            self._remote_state(doc, block, address)
        self.facts.resources.append(res)

    def _remote_state(self, doc: Document, block: Block, address: str) -> None:
        kind_attr = block.body.attr("backend")
        kind = self.resolve(kind_attr.value).value if kind_attr else None
        config = block.body.attr("config")
        if not kind:
            return
        backend = Backend(
            address=address, kind=kind, span=self.span(doc, block.line, block.end_line)
        )
        if config is not None and isinstance(config.value, ObjectExpr):
            body = Body()
            for key, item in config.value.items:
                body.attributes[key] = Attribute(
                    key, item, item.line or config.line, item.line or config.line
                )
            self._fill_backend(doc, backend, body)
        self.facts.backends.append(backend)

    def _module_call(self, doc: Document, block: Block) -> None:
        name = block.labels[0]
        source_attr = block.body.attr("source")
        source = literal_string(source_attr.value) if source_attr is not None else None
        providers: dict[str, str] = {}
        mapping = block.body.attr("providers")
        if mapping is not None and isinstance(mapping.value, ObjectExpr):
            for key, target in mapping.value.items:
                target_text = (
                    target.text if isinstance(target, Expression) else literal_string(target)
                )
                if target_text:
                    providers[f"provider.{key}"] = f"{self.prefix}provider.{target_text}"
        self.calls.append(
            ModuleCall(
                name=name,
                address=f"{self.prefix}module.{name}",
                source=source,
                span=self.span(doc, block.line, block.end_line),
                arguments={k: v for k, v in block.body.attributes.items() if k not in _MODULE_META},
                providers=providers,
                document=doc,
                values=list(self._values(doc, block.body, "", _MODULE_META)),
            )
        )

    def _values(self, doc: Document, body: Body, prefix: str, skip: set[str]) -> Iterator[ValueRef]:
        """Literal (or statically resolved) strings anywhere in a body, for egress checks."""
        for attr in body.attributes.values():
            if not prefix and attr.name in skip:
                continue
            yield from self._strings(doc, f"{prefix}{attr.name}", attr.value, attr.line)
        for nested in body.blocks:
            label = f"{prefix}{nested.type}."
            if nested.type == "dynamic" and nested.labels:
                label = f"{prefix}{nested.labels[0]}."
            yield from self._values(doc, nested.body, label, set())

    def _strings(self, doc: Document, path: str, expr: Expr, line: int) -> Iterator[ValueRef]:
        if isinstance(expr, ObjectExpr):
            for key, item in expr.items:
                yield from self._strings(doc, f"{path}.{key}", item, item.line or line)
            return
        if isinstance(expr, TupleExpr):
            for i, item in enumerate(expr.items):
                yield from self._strings(doc, f"{path}[{i}]", item, item.line or line)
            return
        value = self.evaluator.value(expr)
        for text in _flatten_strings(value):
            yield ValueRef(path, text, self.span(doc, line))


def _flatten_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _flatten_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _flatten_strings(v)


def _item_line(attr: Attribute, key: str) -> int:
    if "." in key and isinstance(attr.value, ObjectExpr):
        sub = attr.value.get(key.split(".", 1)[1])
        if sub is not None and sub.line:
            return sub.line
    return attr.line


def build_facts(module: ModuleInput, catalog: Catalog) -> FactSet:
    return _Builder(module, catalog).build()


def build_module(
    module: ModuleInput, catalog: Catalog
) -> tuple[FactSet, list[ModuleCall], Evaluator]:
    """Facts of one module instance, its module calls, and the evaluator for their arguments."""
    builder = _Builder(module, catalog)
    facts = builder.build()
    return facts, builder.calls, builder.evaluator
