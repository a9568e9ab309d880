"""The shared part of the facts builder: the module's evaluator, how an expression becomes
one or several Resolved values, instance expansion and which provider a block uses."""

from __future__ import annotations

import weakref

from sovlint.catalog.model import Catalog, Provider
from sovlint.hclmodel import Block, Document, Expr, Expression, Literal, Template, expr_text
from sovlint.model import FactSet, Resolved, Span

from .evaluator import Branches, Evaluator, Unknown, Value
from .evaluator.refined import InRegion
from .evaluator.values import NO_INSTANCE
from .module_input import ModuleCall, ModuleInput, module_evaluator
from .zone_lists import zone_resolved

# Data sources whose attribute is the provider configuration's own setting.
_PROVIDER_FACTS = {
    ("aws_region", "name"): "region",
    ("aws_region", "region"): "region",
    ("aws_region", "id"): "region",
    ("google_client_config", "region"): "region",
    ("google_client_config", "zone"): "zone",
    ("google_client_config", "project"): "project",
}


def _scalar_text(value: Value) -> str:
    from .evaluator.values import to_string

    return to_string(value)


class FactsBase:
    """State of one module's facts being built, and the evaluation they all share."""

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
        # The evaluator calls back into this builder, which holds it: weakly, so that no
        # cycle keeps a module's facts and evaluation alive after it is built. The builder
        # outlives every use of its evaluator: build_module's caller keeps it while it
        # evaluates the module's call arguments (bench/identity.py: outputs unchanged).
        method = weakref.WeakMethod(self._provider_fact)

        def provider_fact(block: Block, mode: str, attr: str) -> Value | None:
            bound = method()
            return None if bound is None else bound(block, mode, attr)

        return module_evaluator(self.module, provider_fact)

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

    def locations(
        self, expr: Expr, names: dict[str, Value], owner: str | None = None
    ) -> list[Resolved]:
        """The values a location attribute can take. `null` (often `var.region` defaulting
        to null) means "not set": the provider's location applies, as in Terraform; a
        branch that is null is left out the same way. A value that exists only per
        instance of a block that makes no instance with the given values is not a
        location anything is deployed to. A zone of a known region (a zone-listing data
        source) is judged as that region when `owner`, the catalog key of the provider
        whose region table judges the attribute, is the one that names the region."""
        out = []
        for res in self.resolve_all(expr, names, keep_null=False, owner=owner):
            if res.value is None and res.origin and NO_INSTANCE in res.origin:
                continue
            out.append(res)
        return out

    def resolve_all(
        self,
        expr: Expr,
        names: dict[str, Value] | None = None,
        keep_null: bool = True,
        owner: str | None = None,
    ) -> list[Resolved]:
        """One Resolved per possible value: a value with branches (a conditional on an
        unknown, a lookup by an unknown key) gives every branch with the condition."""
        raw = expr_text(expr)
        value = self.evaluator.evaluate(expr, names)
        origin = None if isinstance(expr, Literal) else self.evaluator.origin(expr)
        if value is None and not keep_null:
            return []
        options = value.options if isinstance(value, Branches) else ((value, ""),)
        out: list[Resolved] = []
        for v, cond in options:
            if v is None and not keep_null:
                continue
            if isinstance(v, InRegion) and owner is not None and v.provider == owner:
                out.extend(zone_resolved(raw, v, origin, cond))
            else:
                out.append(self._resolved(raw, v, origin, cond))
        return out

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
        configuration the data source uses; `data.aws_availability_zones.x.names`: zones
        of that region (or of the data source's own `region` argument)."""
        from .zone_lists import LISTED, ZONE_LISTS, listed_regions, zones_of

        if (block.labels[0], attr) in LISTED:
            entry = self.provider_entry(self._provider_of(block, {})[0])
            listed = listed_regions(block, attr, entry)
            if listed is not None:
                return listed
        zones = ZONE_LISTS.get((block.labels[0], attr))
        if zones is not None:
            local_name, address = self._provider_of(block, {})
            own = block.body.attr("region")
            region = (
                self.evaluator.evaluate_in(own.value, {}, "its region argument")
                if own is not None
                else self._provider_setting(address, "region")
            )
            entry = self.provider_entry(local_name)
            return zones_of(block, zones, address, region, entry.key if entry else None)
        setting = _PROVIDER_FACTS.get((block.labels[0], attr))
        if setting is None:
            return None
        return self._provider_setting(self._provider_of(block, {})[1], setting)

    def _provider_setting(self, address: str, setting: str) -> Value:
        """A provider configuration's location setting (region, zone, project), or unknown."""
        configs = dict(self.facts.inherited_providers)
        configs.update({pc.address: pc for pc in self.facts.providers})
        pc = configs.get(address)
        if pc is not None:
            values = [loc.resolved for loc in pc.locations if loc.attribute == setting]
            if len(values) > 1:
                return Unknown(f"{address}'s {setting} has several possible values")
            if values and values[0].value is not None:
                return values[0].value
            if values:
                return Unknown(f"{address}'s {setting} is not known: {values[0].origin}")
            res = pc.settings.get(setting)
            if res is not None and res.value is not None:
                return res.value
            return Unknown(
                f"{address} does not set {setting}: the provider takes it from the environment"
            )
        return Unknown(f"{address} is not configured in this module")

    def span(self, doc: Document, line: int, end_line: int = 0) -> Span:
        return Span(doc.path, line, end_line or line)

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
