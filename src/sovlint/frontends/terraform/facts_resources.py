"""Facts of resource, data and module blocks: one per instance, their locations and the
strings they carry (for egress checks)."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.catalog.model import LocationPath
from sovlint.hclmodel import (
    Block,
    Body,
    Document,
    Expr,
    Expression,
    ObjectExpr,
    TupleExpr,
    literal_string,
)
from sovlint.model import LocationRef, Resolved, Resource, ValueRef

from .evaluator import Branches, Value
from .facts_providers import ProviderFacts
from .module_input import ModuleCall

# Module-call arguments that are Terraform's own, not inputs.
_MODULE_META = {"source", "version", "providers", "count", "for_each", "depends_on"}
_RESOURCE_META = {"provider", "count", "for_each", "depends_on", "lifecycle"}


class ResourceFacts(ProviderFacts):
    """Resource, data source and module-call facts of one module."""

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
                for resolved in self.locations(attr.value, names, entry.key if entry else None):
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
            regions = declared.regions
            if res.value is not None:
                # a form the catalog cannot map stays as written: the region table says unknown
                value, regions = declared.resolve(res.value, siblings)
                res = Resolved(res.raw, value, res.origin)
            yield LocationRef(".".join(declared.path), res, self.span(doc, attr.line), regions)

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
