"""Facts of `provider` blocks: locations, settings, endpoints, one per OpenTofu instance."""

from __future__ import annotations

from sovlint.hclmodel import Block, Document, Expr, ObjectExpr
from sovlint.model import EndpointRef, LocationRef, ProviderConfig, ValueRef
from sovlint.netloc import host_of

from .evaluator import Value
from .facts_backends import BackendFacts


class ProviderFacts(BackendFacts):
    """Provider configuration facts of one module."""

    def _provider(self, doc: Document, block: Block) -> None:
        """One provider configuration; OpenTofu's `for_each` makes one per key
        (`provider.aws.by_region["eu"]`)."""
        for suffix, names in self._expansions(block):
            self._provider_instance(doc, block, suffix, names)

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
                for res in self.locations(attr.value, names, entry.key if entry else None):
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
