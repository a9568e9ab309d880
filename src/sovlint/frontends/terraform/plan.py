"""Terraform/OpenTofu JSON plans and state (`terraform show -json`): the fully resolved values.

A plan knows what the .tf files only imply: variable values, count/for_each
instances, provider configurations after evaluation. This frontend turns it into
the same facts as the HCL frontend, so every rule judges plans unchanged.
Lines point into the JSON file, or, with `--source DIR`, at the resource block
in the configuration.

The JSON plan format records no backend configuration, so SOV105 comes from the
configuration given with `--source`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sovlint import jsonpos
from sovlint.catalog.model import Catalog
from sovlint.jsonpos import JArray, JObject, JScalar, JValue
from sovlint.model import (
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

PLAN_KEYS = ("planned_values", "resource_changes", "configuration", "prior_state", "values")
_INDEX = re.compile(r"\[[^\[\]]*\]")


class PlanError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def looks_like_plan(text: str) -> bool:
    """Cheap test before a full parse: a JSON object with a format_version and plan/state keys."""
    head = text[:4096]
    return (
        head.lstrip().startswith("{")
        and '"format_version"' in text
        and any(f'"{k}"' in text for k in PLAN_KEYS)
    )


def strip_instance_keys(address: str) -> str:
    """`module.a[0].aws_s3_bucket.b["x"]` -> `module.a.aws_s3_bucket.b` (the configuration address)."""
    return _INDEX.sub("", address)


def _get(node: JValue | None, key: str) -> JValue | None:
    if isinstance(node, JObject):
        for k, v in reversed(node.items):
            if k == key:
                return v
    return None


def _line_of(node: JObject, key: str) -> int:
    value = _get(node, key)
    return value.line if value is not None else node.line


def _str(node: JValue | None) -> str | None:
    return node.value if isinstance(node, JScalar) and isinstance(node.value, str) else None


def _objects(node: JValue | None) -> Iterator[JObject]:
    if isinstance(node, JArray):
        yield from (i for i in node.items if isinstance(i, JObject))


@dataclass
class _Context:
    path: str
    catalog: Catalog
    variables: dict[str, str]
    facts: FactSet
    providers: dict[str, ProviderConfig]  # provider_config_key -> configuration
    config_keys: dict[str, str]  # configuration address -> provider_config_key


def _expression(ctx: _Context, node: JValue | None, module_address: str) -> Resolved | None:
    """An expression object: {"constant_value": ...} or {"references": [...]}."""
    if not isinstance(node, JObject):
        return None
    constant = _get(node, "constant_value")
    if isinstance(constant, JScalar) and constant.value is not None:
        return Resolved(str(constant.value), str(constant.value))
    refs = _get(node, "references")
    names = (
        [r.value for r in refs.items if isinstance(r, JScalar) and isinstance(r.value, str)]
        if isinstance(refs, JArray)
        else []
    )
    raw = ", ".join(names) or "(expression)"
    if not module_address and names and names[0].startswith("var."):
        name = names[0][4:]
        if name in ctx.variables:
            return Resolved(raw, ctx.variables[name], f"plan variable {name!r}")
    return Resolved(
        raw, None, "an expression the plan does not evaluate for provider configurations"
    )


def _provider_configs(ctx: _Context, configuration: JValue | None) -> None:
    table = _get(configuration, "provider_config")
    if not isinstance(table, JObject):
        return
    for key, node in table.items:
        if not isinstance(node, JObject):
            continue
        name = _str(_get(node, "name")) or key.split(":")[-1].split(".")[0]
        alias = _str(_get(node, "alias"))
        module_address = _str(_get(node, "module_address")) or ""
        prefix = f"{module_address}." if module_address else ""
        pc = ProviderConfig(
            address=f"{prefix}provider.{name}" + (f".{alias}" if alias else ""),
            local_name=name,
            alias=alias,
            source=_str(_get(node, "full_name")),
            span=Span(ctx.path, node.line, node.end_line),
            block_line=node.line,
        )
        entry = ctx.catalog.provider_by_source(pc.source) if pc.source else None
        expressions = _get(node, "expressions")
        if isinstance(expressions, JObject):
            location_attrs = entry.provider_location_attributes if entry else ()
            endpoint_blocks = entry.endpoint_blocks if entry else ()
            for attr, expr in expressions.items:
                if attr in endpoint_blocks:
                    _endpoints(ctx, pc, attr, expr, module_address)
                    continue
                resolved = _expression(ctx, expr, module_address)
                if resolved is None:
                    continue
                pc.settings[attr] = resolved
                if attr in location_attrs:
                    pc.locations.append(LocationRef(attr, resolved, Span(ctx.path, expr.line)))
                elif resolved.value is not None:
                    pc.values.append(ValueRef(attr, resolved.value, Span(ctx.path, expr.line)))
        ctx.providers[key] = pc
        ctx.facts.providers.append(pc)


def _endpoints(
    ctx: _Context, pc: ProviderConfig, attr: str, node: JValue, module_address: str
) -> None:
    blocks = (
        list(_objects(node))
        if isinstance(node, JArray)
        else [node]
        if isinstance(node, JObject)
        else []
    )
    for block in blocks:
        for service, expr in block.items:
            resolved = _expression(ctx, expr, module_address)
            if resolved and resolved.value:
                host = host_of(resolved.value)
                if host:
                    pc.endpoints.append(
                        EndpointRef(
                            f"{attr}.{service}", resolved.value, host, Span(ctx.path, expr.line)
                        )
                    )


def _config_resources(ctx: _Context, module: JValue | None, prefix: str) -> None:
    """Configuration resource address -> provider_config_key, through module_calls."""
    for res in _objects(_get(module, "resources")):
        address = _str(_get(res, "address"))
        key = _str(_get(res, "provider_config_key"))
        if address and key:
            ctx.config_keys[f"{prefix}{address}"] = key
    calls = _get(module, "module_calls")
    if isinstance(calls, JObject):
        for name, call in calls.items:
            _config_resources(ctx, _get(call, "module"), f"{prefix}module.{name}.")


def _provider_for(ctx: _Context, address: str, provider_name: str | None) -> ProviderConfig:
    config_address = strip_instance_keys(address)
    key = ctx.config_keys.get(config_address)
    if key is not None and key in ctx.providers:
        return ctx.providers[key]
    if key is not None and ":" in key:
        # A configuration passed down from a caller has no entry of its own (hashicorp/terraform#30113):
        # use the nearest ancestor's configuration of that provider.
        local = key.rsplit(":", 1)[1]
        parts = key.rsplit(":", 1)[0].split(".")
        while parts:
            parts = parts[:-2]
            candidate = (".".join(parts) + ":" + local) if parts else local
            if candidate in ctx.providers:
                return ctx.providers[candidate]
    for pc in ctx.facts.providers:
        if pc.source and provider_name and pc.source == provider_name and pc.alias is None:
            return pc
    implied_key = f"(implied) {provider_name}"
    if implied_key not in ctx.providers:
        name = (provider_name or "unknown").rsplit("/", 1)[-1]
        pc = ProviderConfig(
            f"provider.{name}", name, None, provider_name, Span(ctx.path, 1), 1, declared_only=True
        )
        ctx.providers[implied_key] = pc
        ctx.facts.inherited_providers[pc.address] = pc
    return ctx.providers[implied_key]


def _strings(node: JValue, path: str) -> Iterator[tuple[str, str, int]]:
    if isinstance(node, JScalar):
        if isinstance(node.value, str):
            yield path, node.value, node.line
    elif isinstance(node, JArray):
        for i, item in enumerate(node.items):
            yield from _strings(item, f"{path}[{i}]")
    else:
        for key, item in node.items:
            yield from _strings(item, f"{path}.{key}" if path else key)


def _resources(ctx: _Context, module: JValue | None) -> None:
    for res in _objects(_get(module, "resources")):
        address = _str(_get(res, "address"))
        rtype = _str(_get(res, "type"))
        if not address or not rtype:
            continue
        mode = _str(_get(res, "mode")) or "managed"
        provider_name = _str(_get(res, "provider_name"))
        pc = _provider_for(ctx, address, provider_name)
        resource = Resource(
            address=address,
            type=rtype,
            mode="data" if mode == "data" else "managed",
            provider_local_name=pc.local_name,
            provider_address=pc.address,
            span=Span(ctx.path, _line_of(res, "address"), res.end_line),
        )
        entry = ctx.catalog.provider_by_source(provider_name) if provider_name else None
        location_attrs = entry.resource_location_attributes if entry else ()
        # A resource's computed region equal to its provider's is the provider's finding, not its own.
        inherited = {loc.resolved.value for loc in pc.locations if loc.resolved.value}
        values = _get(res, "values")
        if isinstance(values, JObject):
            for key, value in values.items:
                if (
                    key in location_attrs
                    and isinstance(value, JScalar)
                    and value.value in inherited
                ):
                    continue
                if (
                    key in location_attrs
                    and isinstance(value, JScalar)
                    and isinstance(value.value, str)
                    and value.value
                ):
                    resource.locations.append(
                        LocationRef(
                            key,
                            Resolved(value.value, value.value, "the plan"),
                            Span(ctx.path, value.line),
                        )
                    )
                elif key not in location_attrs:
                    for path, text, line in _strings(value, key):
                        resource.values.append(ValueRef(path, text, Span(ctx.path, line)))
        ctx.facts.resources.append(resource)
    for child in _objects(_get(module, "child_modules")):
        _resources(ctx, child)


def plan_facts(text: str, path: str, catalog: Catalog) -> FactSet:
    """Facts from a JSON plan or state; PlanError (with a line) when it is not one."""
    try:
        root = jsonpos.parse(text)
    except jsonpos.JsonError as exc:
        raise PlanError(f"invalid JSON: {exc}", exc.line) from None
    version = _str(_get(root, "format_version"))
    if not isinstance(root, JObject) or version is None:
        raise PlanError("not a Terraform JSON plan or state (no format_version)", 1)
    if version.split(".")[0] != "1":
        raise PlanError(
            f"unsupported plan format_version {version!r} (sovlint reads 1.x)", root.line
        )
    variables: dict[str, str] = {}
    plan_vars = _get(root, "variables")
    if isinstance(plan_vars, JObject):
        for name, node in plan_vars.items:
            value = _get(node, "value")
            if (
                isinstance(value, JScalar)
                and value.value is not None
                and not isinstance(value.value, bool)
            ):
                variables[name] = str(value.value)
    ctx = _Context(path, catalog, variables, FactSet(unit=path, files=[path]), {}, {})
    configuration = _get(root, "configuration")
    _provider_configs(ctx, configuration)
    _config_resources(ctx, _get(configuration, "root_module"), "")
    values = _get(root, "planned_values") or _get(root, "values")
    if values is None:
        values = _get(_get(root, "prior_state"), "values")
    _resources(ctx, _get(values, "root_module"))
    return ctx.facts


def map_to_source(facts: FactSet, source: dict[str, Span]) -> None:
    """Point plan facts at the configuration: resource blocks by configuration address."""
    for res in facts.resources:
        span = source.get(strip_instance_keys(res.address))
        if span is not None:
            res.span = span
            res.locations = [
                LocationRef(loc.attribute, loc.resolved, span) for loc in res.locations
            ]
            res.values = [ValueRef(v.attribute, v.value, span) for v in res.values]
    for pc in facts.providers:
        span = source.get(pc.address)
        if span is not None:
            pc.span = span
            pc.block_line = span.line
            pc.locations = [LocationRef(loc.attribute, loc.resolved, span) for loc in pc.locations]
            pc.values = [ValueRef(v.attribute, v.value, span) for v in pc.values]
            pc.endpoints = [EndpointRef(e.attribute, e.url, e.host, span) for e in pc.endpoints]
