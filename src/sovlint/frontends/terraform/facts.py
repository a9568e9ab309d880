"""Build sovlint facts from the parsed files of one Terraform module (one directory)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sovlint.catalog.model import Catalog, LocationPath, Provider
from sovlint.hclmodel import (
    Attribute,
    Block,
    Body,
    Document,
    Expr,
    Expression,
    Literal,
    ObjectExpr,
    Template,
    TupleExpr,
    expr_text,
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

from .evaluator import Binding, Branches, Evaluator, Unknown, Value

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
    directory: Path | None = None  # for file() and templatefile() inside the module
    module_output: Callable[[Evaluator, str], Value] | None = None


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
    names: dict[str, Value] = field(default_factory=dict)  # count.index / each.* of this instance
    block: Block | None = None


NO_INSTANCE = "count/for_each that makes no instance with the values given"

# Data sources whose attribute is the provider configuration's own setting.
_PROVIDER_FACTS = {
    ("aws_region", "name"): "region",
    ("aws_region", "region"): "region",
    ("aws_region", "id"): "region",
    ("google_client_config", "region"): "region",
    ("google_client_config", "zone"): "zone",
    ("google_client_config", "project"): "project",
}


def module_evaluator(
    module: ModuleInput, provider_fact: Callable[[Block, str, str], Value | None] | None = None
) -> Evaluator:
    """The evaluator of one module instance: its variables (defaults, tfvars, caller's
    inputs, with their types), locals, resources and data sources."""
    variables: dict[str, Binding] = {}
    local_values: dict[str, Binding] = {}
    types: dict[str, Expr] = {}
    declared: set[str] = set()
    for doc in module.documents:
        for block in doc.body.blocks:
            if block.type == "variable" and block.labels:
                name = block.labels[0]
                declared.add(name)
                type_attr = block.body.attr("type")
                if type_attr is not None:
                    types[name] = type_attr.value
                default = block.body.attr("default")
                if default is not None:
                    variables[name] = Binding(
                        default.value,
                        f"default of variable {name!r} at {doc.path}:{default.line}",
                    )
            elif block.type == "locals":
                for attr in block.body.attributes.values():
                    local_values[attr.name] = Binding(
                        attr.value, f"local {attr.name!r} at {doc.path}:{attr.line}"
                    )
    for vdoc in module.var_files:
        for attr in vdoc.body.attributes.values():
            # Variables given outside files have no line: "--var region", "TF_VAR_region".
            glue = "" if vdoc.path.endswith("_") else " "
            where = f"{vdoc.path}:{attr.line}" if attr.line else f"{vdoc.path}{glue}{attr.name}"
            variables[attr.name] = Binding(attr.value, where)
    variables.update(module.inputs)
    for name, type_expr in types.items():
        if name in variables:
            b = variables[name]
            variables[name] = Binding(b.expr, b.origin, b.value, type_expr)
    holder: list[Evaluator] = []
    output = module.module_output

    def module_output(name: str) -> Value:
        if output is None:
            return Unknown(f"module.{name}'s outputs are not followed here")
        return output(holder[0], name)

    ev = Evaluator(
        variables,
        local_values,
        documents=module.documents,
        module_dir=module.directory,
        module_output=module_output,
        provider_fact=provider_fact,
        declared=declared,
    )
    holder.append(ev)
    return ev


def _scalar_text(value: Value) -> str:
    from .evaluator.values import to_string

    return to_string(value)


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
        return module_evaluator(self.module, self._provider_fact)

    def resolve(self, expr: Expr, names: dict[str, Value] | None = None) -> Resolved:
        """The value of an expression, for attributes judged as one value (aliases, backend
        settings); a value with several possible branches is unresolved here."""
        return (
            self.resolve_all(expr, names)[0]
            if not self._branchy(expr, names)
            else Resolved(expr_text(expr), None, "it has several possible values")
        )

    def _branchy(self, expr: Expr, names: dict[str, Value] | None) -> bool:
        return isinstance(self.evaluator.evaluate(expr, names), Branches)

    def locations(self, expr: Expr, names: dict[str, Value]) -> list[Resolved]:
        """The values a location attribute can take. `null` (often `var.region` defaulting
        to null) means "not set": the provider's location applies, as in Terraform; a
        branch that is null is left out the same way. A value that exists only per
        instance of a block that makes no instance with the given values is not a
        location anything is deployed to."""
        out = []
        for res in self.resolve_all(expr, names, keep_null=False):
            if res.value is None and res.origin and NO_INSTANCE in res.origin:
                continue
            out.append(res)
        return out

    def resolve_all(
        self, expr: Expr, names: dict[str, Value] | None = None, keep_null: bool = True
    ) -> list[Resolved]:
        """One Resolved per possible value: a value with branches (a conditional on an
        unknown, a lookup by an unknown key) gives every branch with the condition."""
        raw = expr_text(expr)
        value = self.evaluator.evaluate(expr, names)
        origin = None if isinstance(expr, Literal) else self.evaluator.origin(expr)
        if value is None and not keep_null:
            return []
        if isinstance(value, Branches):
            options = [(v, c) for v, c in value.options if keep_null or v is not None]
            return [self._resolved(raw, v, origin, cond) for v, cond in options]
        return [self._resolved(raw, value, origin, "")]

    @staticmethod
    def _resolved(raw: str, value: Value, origin: str | None, cond: str) -> Resolved:
        where = ", ".join(p for p in (origin, cond) if p) or None
        if isinstance(value, Unknown):
            reason = f"{value.reason}, {cond}" if cond else value.reason
            if origin and origin not in reason:
                reason = f"{reason} (value from {origin})"
            return Resolved(raw, None, reason)
        if isinstance(value, (dict, list)) or value is None:
            what = "null" if value is None else "a collection, not one value"
            return Resolved(raw, None, f"{where}: it is {what}" if where else f"it is {what}")
        text = value if isinstance(value, str) else _scalar_text(value)
        return Resolved(raw, text, where)

    def _provider_fact(self, block: Block, mode: str, attr: str) -> Value | None:
        """`data.aws_region.current.name` and the like: the region of the provider
        configuration the data source uses."""
        setting = _PROVIDER_FACTS.get((block.labels[0], attr))
        if setting is None:
            return None
        _, address = self._provider_of(block, {})
        configs = dict(self.facts.inherited_providers)
        configs.update({pc.address: pc for pc in self.facts.providers})
        pc = configs.get(address)
        if pc is not None:
            for loc in pc.locations:
                if loc.attribute == setting and loc.resolved.value is not None:
                    return loc.resolved.value
            res = pc.settings.get(setting)
            if res is not None and res.value is not None:
                return res.value
            return Unknown(
                f"{address} does not set {setting}: the provider takes it from the environment"
            )
        return Unknown(f"{address} is not configured in this module")

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
                elif block.type == "check":  # a check's scoped data sources are read too
                    for nested in block.body.blocks_of("data"):
                        if len(nested.labels) >= 2:
                            self._resource(doc, nested)
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
        if local_name == "terraform":  # built in: never in required_providers
            return self.catalog.provider_by_source("builtin/terraform")
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
        """One provider configuration; OpenTofu's `for_each` makes one per key
        (`provider.aws.by_region["eu"]`)."""
        for suffix, names in self._expansions(block):
            self._provider_instance(doc, block, suffix, names)

    def _expansions(self, block: Block) -> list[tuple[str, dict[str, Value]]]:
        """(address suffix, count/each names) of every instance a block makes. A block whose
        instances are not known, or that makes none with the values at hand (`count = 0`
        from a default), is still judged once, as written: a gate does not skip
        configuration because one set of inputs leaves it out."""
        instances = self.evaluator.instances(block)
        if instances is None:
            return [("", {})]
        if isinstance(instances, Unknown) or not instances:
            reason = instances.reason if isinstance(instances, Unknown) else NO_INSTANCE
            unknown = Unknown(f"the instance depends on {reason}")
            return [("", {"count": unknown, "each": unknown})]
        return [(suffix, names) for _, suffix, names in instances]

    def _provider_instance(
        self, doc: Document, block: Block, suffix: str, names: dict[str, Value]
    ) -> None:
        local_name = block.labels[0]
        alias_attr = block.body.attr("alias")
        alias = self.resolve(alias_attr.value).value if alias_attr is not None else None
        address = f"{self.prefix}provider.{local_name}" + (f".{alias}" if alias else "") + suffix
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
            if attr is not None:
                for res in self.locations(attr.value, names):
                    pc.locations.append(LocationRef(name, res, self.span(doc, attr.line)))
        for attr in block.body.attributes.values():
            if attr.name == "for_each":
                continue
            if attr.name in endpoint_blocks and isinstance(attr.value, ObjectExpr):
                for key, item in attr.value.items:
                    self._endpoint(doc, pc, f"{attr.name}.{key}", item, item.line or attr.line)
            else:
                res = self.resolve(attr.value, names)
                pc.settings[attr.name] = res
                if isinstance(attr.value, ObjectExpr):  # helm 3.x `kubernetes = { host = ... }`
                    for key, item in attr.value.items:
                        pc.settings[f"{attr.name}.{key}"] = self.resolve(item, names)
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
            elif not nested.labels:  # helm's `kubernetes { host = ... }` block
                for attr in nested.body.attributes.values():
                    pc.settings[f"{nested.type}.{attr.name}"] = self.resolve(attr.value, names)
        self.facts.providers.append(pc)

    def _endpoint(self, doc: Document, pc: ProviderConfig, key: str, expr: Expr, line: int) -> None:
        res = self.resolve(expr)
        if res.value:
            host = host_of(res.value)
            if host:
                pc.endpoints.append(EndpointRef(key, res.value, host, self.span(doc, line)))

    def _provider_of(self, block: Block, names: dict[str, Value]) -> tuple[str, str]:
        """(local name, provider address) of a resource or data block: its `provider`
        argument (`aws.west`, OpenTofu's `aws.by_region[each.key]`) or the default one."""
        local_name = block.labels[0].split("_", 1)[0]
        meta = block.body.attr("provider")
        text = ""
        if meta is not None:
            text = meta.value.text if isinstance(meta.value, (Expression, Template)) else ""
            if isinstance(meta.value, Literal) and isinstance(meta.value.value, str):
                text = meta.value.value
        if not text:
            return local_name, f"{self.prefix}provider.{local_name}"
        head, _, key_text = str(text).partition("[")
        parts = head.strip().split(".")
        address = f"{self.prefix}provider." + ".".join(parts[:2])
        if key_text.endswith("]"):
            key = self.evaluator.evaluate(
                Expression(key_text[:-1], meta.line if meta else 0), names
            )
            if isinstance(key, str):
                address += f'["{key}"]'
            elif isinstance(key, int) and not isinstance(key, bool):
                address += f"[{key}]"
            else:
                address += "[?]"
        return parts[0], address

    def _resource(self, doc: Document, block: Block) -> None:
        """One Resource per instance `count`/`for_each` makes (`aws_s3_bucket.b["us"]`);
        when their number is not known, one Resource whose each/count are unknown."""
        for suffix, names in self._expansions(block):
            self._resource_instance(doc, block, suffix, names)

    def _resource_instance(
        self, doc: Document, block: Block, suffix: str, names: dict[str, Value]
    ) -> None:
        rtype, name = block.labels[0], block.labels[1]
        mode = "managed" if block.type == "resource" else "data"
        address = self.prefix + (f"{rtype}.{name}" if mode == "managed" else f"data.{rtype}.{name}")
        address += suffix
        local_name, provider_address = self._provider_of(block, names)
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
            if attr is not None:
                for resolved in self.locations(attr.value, names):
                    res.locations.append(
                        LocationRef(attr_name, resolved, self.span(doc, attr.line))
                    )
        for declared in self.catalog.resource_locations.get(rtype, ()):
            res.locations.extend(
                self._nested_locations(doc, block.body, declared, declared.path, names)
            )
        skip = set(location_attrs) | _RESOURCE_META
        res.values.extend(self._values(doc, block.body, "", skip, names))
        if rtype == "terraform_remote_state" and mode == "data":
            self._remote_state(doc, block, address)
        self.facts.resources.append(res)

    def _nested_locations(
        self,
        doc: Document,
        body: Body,
        declared: LocationPath,
        rest: tuple[str, ...],
        names: dict[str, Value],
    ) -> Iterator[LocationRef]:
        """Every instance of a declared nested location (`replica { region_name = ... }`)."""
        if len(rest) > 1:
            for nested in body.blocks_of(rest[0]):
                yield from self._nested_locations(doc, nested.body, declared, rest[1:], names)
            return
        attr = body.attr(rest[0])
        if attr is None:
            return
        siblings = {k: self.resolve(a.value, names).value for k, a in body.attributes.items()}
        for res in self.locations(attr.value, names):
            if res.value is not None:
                # a form the catalog cannot map stays as written: the region table says unknown
                value = declared.normalise(res.value, siblings) or res.value
                res = Resolved(res.raw, value, res.origin)
            yield LocationRef(
                ".".join(declared.path), res, self.span(doc, attr.line), declared.regions
            )

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
        """One ModuleCall per instance `count`/`for_each` makes (`module.net["eu"]`)."""
        for suffix, names in self._expansions(block):
            self._module_instance(doc, block, suffix, names)

    def _module_instance(
        self, doc: Document, block: Block, suffix: str, names: dict[str, Value]
    ) -> None:
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
                address=f"{self.prefix}module.{name}{suffix}",
                source=source,
                span=self.span(doc, block.line, block.end_line),
                arguments={k: v for k, v in block.body.attributes.items() if k not in _MODULE_META},
                providers=providers,
                document=doc,
                values=list(self._values(doc, block.body, "", _MODULE_META, names)),
                names=names,
                block=block,
            )
        )

    def _values(
        self,
        doc: Document,
        body: Body,
        prefix: str,
        skip: set[str],
        names: dict[str, Value] | None = None,
    ) -> Iterator[ValueRef]:
        """Literal (or statically resolved) strings anywhere in a body, for egress checks."""
        for attr in body.attributes.values():
            if not prefix and attr.name in skip:
                continue
            yield from self._strings(doc, f"{prefix}{attr.name}", attr.value, attr.line, names)
        for nested in body.blocks:
            label = f"{prefix}{nested.type}."
            if nested.type == "dynamic" and nested.labels:
                label = f"{prefix}{nested.labels[0]}."
            yield from self._values(doc, nested.body, label, set(), names)

    def _strings(
        self, doc: Document, path: str, expr: Expr, line: int, names: dict[str, Value] | None
    ) -> Iterator[ValueRef]:
        if isinstance(expr, ObjectExpr):
            for key, item in expr.items:
                yield from self._strings(doc, f"{path}.{key}", item, item.line or line, names)
            return
        if isinstance(expr, TupleExpr):
            for i, item in enumerate(expr.items):
                yield from self._strings(doc, f"{path}[{i}]", item, item.line or line, names)
            return
        value = self.evaluator.evaluate(expr, names)
        for text in _flatten_strings(value):
            yield ValueRef(path, text, self.span(doc, line))


def _flatten_strings(value: object, depth: int = 0) -> Iterator[str]:
    if depth > 64:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, Branches):
        for option, _ in value.options:
            yield from _flatten_strings(option, depth + 1)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _flatten_strings(v, depth + 1)
    elif isinstance(value, list):
        for v in value:
            yield from _flatten_strings(v, depth + 1)


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
