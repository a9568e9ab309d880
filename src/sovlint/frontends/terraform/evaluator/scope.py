"""The names a Terraform module's expressions see: var, local, each, count, path,
terraform, module, data and resources, evaluated lazily and memoised."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .interpreter import BudgetExceeded, Namespace, OpenObject, Scope
from .values import EvalError, Unknown, Value

if TYPE_CHECKING:
    from .evaluator import Evaluator

MAX_NESTED_BINDINGS = 40


class _Table(Namespace):
    """var.* or local.*"""

    def __init__(self, ev: Evaluator, kind: str) -> None:
        self.ev = ev
        self.kind = kind

    def get(self, key: str) -> Value:
        return self.ev.binding_value(self.kind, key)

    def materialize(self) -> Value:
        names = self.ev.variables if self.kind == "var" else self.ev.locals
        return {k: self.get(k) for k in names}


class _Fixed(Namespace):
    def __init__(self, values: dict[str, Value], missing: Callable[[str], Value]) -> None:
        self.values = values
        self.missing = missing

    def get(self, key: str) -> Value:
        if key in self.values:
            return self.values[key]
        return self.missing(key)

    def materialize(self) -> Value:
        return dict(self.values)


class _Group(Namespace):
    """`data`, `module`, or one resource type: the next name picks the block."""

    def __init__(self, lookup: Callable[[str], Value]) -> None:
        self.lookup = lookup

    def get(self, key: str) -> Value:
        return self.lookup(key)


def _no_name(what: str) -> Callable[[str], Value]:
    def missing(key: str) -> Value:
        raise EvalError(f"{what}.{key} does not exist")

    return missing


class ModuleScope(Scope):
    """The scope of one module instance, optionally inside one resource instance."""

    def __init__(self, ev: Evaluator, instance: dict[str, Value] | None = None) -> None:
        self.ev = ev
        self.instance = instance or {}
        self.module_dir = ev.module_dir

    def root(self, name: str) -> Value:
        ev = self.ev
        if name in self.instance:
            return self.instance[name]
        if name == "var":
            return _Table(ev, "var")
        if name == "local":
            return _Table(ev, "local")
        if name in ("count", "each"):
            return Unknown(
                f"{name} is only defined inside a block with {name if name == 'count' else 'for_each'}"
            )
        if name == "path":
            return _Fixed(
                {"module": ".", "root": ev.path_root},
                lambda k: Unknown(f"path.{k} depends on where Terraform runs"),
            )
        if name == "terraform":
            return _Fixed(
                {}, lambda k: Unknown(f"terraform.{k} depends on the workspace Terraform runs in")
            )
        if name == "module":
            return _Group(ev.module_output)
        if name == "data":
            return _Group(lambda rtype: _Group(lambda rname: ev.resource("data", rtype, rname)))
        if name == "self":
            return Unknown("self refers to the resource being created")
        if ev.has_resource_type(name):
            return _Group(lambda rname: ev.resource("managed", name, rname))
        if "_" in name:
            return _Group(lambda rname: Unknown(f"{name}.{rname} is not declared in this module"))
        raise EvalError(f"unknown name {name!r}")


class ResourceInstance(Namespace):
    """One instance of a resource or data block: configured arguments are known."""

    def __init__(
        self, ev: Evaluator, block: Any, mode: str, address: str, names: dict[str, Value]
    ) -> None:
        self.ev = ev
        self.block = block
        self.mode = mode
        self.address = address
        self.names = names

    def get(self, key: str) -> Value:
        body = self.block.body
        attr = body.attr(key)
        if attr is not None:
            return self.ev.evaluate_in(attr.value, self.names, f"{self.address}.{key}")
        nested = [b for b in body.blocks if b.type == key]
        if nested:
            return [self._nested(b.body) for b in nested]
        special = self.ev.provider_fact(self.block, self.mode, key)
        if special is not None:
            return special
        if self.mode == "managed" and key == "result":
            from .refined import shuffled

            given = self.get("input") if body.attr("input") is not None else None
            derived = shuffled(self.block.labels[0], key, self.address, given)
            if derived is not None:
                return derived
        if self.mode == "data":
            return Unknown(
                f"{self.address}.{key} is read from the provider when Terraform runs (a data source)"
            )
        return Unknown(f"{self.address}.{key} is computed by the provider: only known after apply")

    def _nested(self, body: Any) -> OpenObject:
        obj = OpenObject()
        for name, attr in body.attributes.items():
            obj[name] = self.ev.evaluate_in(attr.value, self.names, f"{self.address}.{name}")
        return obj

    def materialize(self) -> Value:
        obj = OpenObject()
        for name in self.block.body.attributes:
            if name not in ("count", "for_each", "provider", "depends_on", "lifecycle"):
                obj[name] = self.get(name)
        return obj


__all__ = ["MAX_NESTED_BINDINGS", "BudgetExceeded", "ModuleScope", "ResourceInstance", "_no_name"]
