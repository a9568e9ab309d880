"""The evaluator of one Terraform module instance: bindings, resources, expansion."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from sovlint.hclmodel import Block, Document, Expr, Expression, Template

from .bindings import Binding, to_node
from .interpreter import BudgetExceeded, Interpreter, UnknownHit
from .refined import plain
from .scope import MAX_NESTED_BINDINGS, ModuleScope, ResourceInstance
from .values import NO_INSTANCE, Branches, EvalError, Unknown, Value, unknown_in

MAX_INSTANCES = 256
_ORIGIN = re.compile(r"\b(var|local)\.([A-Za-z_][A-Za-z0-9_-]*)")
ProviderFact = Callable[[Block, str, str], Value | None]


class Evaluator:
    def __init__(
        self,
        variables: dict[str, Binding],
        local_values: dict[str, Binding],
        *,
        documents: list[Document] | None = None,
        module_dir: Path | None = None,
        path_root: str = ".",
        module_output: Callable[[str], Value] | None = None,
        provider_fact: ProviderFact | None = None,
        declared: set[str] | None = None,
    ) -> None:
        from .functions import builtins

        self.variables = variables
        self.declared = declared
        self.locals = local_values
        self.module_dir = module_dir
        self.path_root = path_root
        self.interp = Interpreter(builtins())
        self._memo: dict[tuple[str, str, bool], Value] = {}
        self._active: list[str] = []
        self._module_output = module_output
        self._provider_fact = provider_fact
        self.blocks: dict[tuple[str, str, str], Block] = {}
        self._types: set[str] = set()
        for doc in documents or []:
            for block in doc.body.blocks:
                if block.type in ("resource", "data") and len(block.labels) >= 2:
                    mode = "managed" if block.type == "resource" else "data"
                    self.blocks[(mode, block.labels[0], block.labels[1])] = block
                    if mode == "managed":
                        self._types.add(block.labels[0])

    # -- public ---------------------------------------------------------------------
    def evaluate(self, expr: Expr, names: dict[str, Value] | None = None) -> Value:
        """The value of an expression: known data, Unknown (with the reason) or Branches."""
        return self.evaluate_in(expr, names or {}, "the expression")

    def value(self, expr: Expr, names: dict[str, Value] | None = None) -> object:
        """A plain Python value, or UNKNOWN (compatibility with the first evaluator)."""
        from . import UNKNOWN

        value = self.evaluate(expr, names)
        return UNKNOWN if unknown_in(value) is not None else value

    def origin(self, expr: Expr) -> str | None:
        """Where a reference's value was defined (the first var/local it reads)."""
        text = expr.text if isinstance(expr, (Expression, Template)) else ""
        m = _ORIGIN.search(text)
        if not m:
            return None
        table = self.variables if m.group(1) == "var" else self.locals
        binding = table.get(m.group(2))
        return binding.origin if binding else None

    # -- evaluation with a fresh budget per binding ------------------------------------
    def evaluate_in(self, expr: Expr, names: dict[str, Value], what: str) -> Value:
        node = to_node(expr)
        if len(self._active) > MAX_NESTED_BINDINGS:
            return Unknown(f"references nested deeper than {MAX_NESTED_BINDINGS} levels")
        saved = self.interp.steps
        self.interp.steps = 0
        try:
            return self.interp.bounded(self.interp.eval(node, ModuleScope(self, names)))
        except EvalError as exc:
            return Unknown(f"{what} is an error in Terraform: {exc}")
        except UnknownHit as hit:
            return (
                plain(hit.value)
                if isinstance(hit.value, Unknown)
                else Unknown("one of several values")
            )
        except BudgetExceeded:
            return Unknown(f"{what} is too large to evaluate statically")
        except RecursionError:
            return Unknown(f"{what} is nested too deeply to evaluate statically")
        finally:
            self.interp.steps = saved

    def binding_value(self, kind: str, name: str) -> Value:
        # (inside try()/can() an element of a OneOf is not assumed to exist, so a value read
        # there differs: one memo per state, or the first reader decides for every other)
        key = (kind, name, self.interp.catching > 0)
        if key in self._memo:
            return self._memo[key]
        table = self.variables if kind == "var" else self.locals
        binding = table.get(name)
        label = f"{kind}.{name}"
        if binding is None:
            if kind == "var" and self.declared is not None and name not in self.declared:
                value: Value = Unknown(f"variable {name!r} is not declared in this module")
            elif kind == "var":
                value = Unknown(
                    f"variable {name!r} has no value (no default, not in a tfvars file)"
                )
            else:
                raise EvalError(f"local.{name} is not defined")
        elif label in self._active:
            value = Unknown(f"{label} refers to itself")
        else:
            self._active.append(label)
            try:
                value = (
                    binding.value
                    if binding.evaluated
                    else self.evaluate_in(binding.expr, {}, label)
                )
                if binding.type_expr is not None:
                    value = self._convert(value, binding.type_expr)
            finally:
                self._active.pop()
        self._memo[key] = value
        return value

    def _convert(self, value: Value, type_expr: Expr) -> Value:
        from .types import convert

        try:
            return convert(self.interp, value, to_node(type_expr), ModuleScope(self))
        except (EvalError, UnknownHit, BudgetExceeded, RecursionError):
            return value

    # -- resources and modules -----------------------------------------------------
    def has_resource_type(self, rtype: str) -> bool:
        return rtype in self._types

    def resource(self, mode: str, rtype: str, name: str) -> Value:
        block = self.blocks.get((mode, rtype, name))
        prefix = "data." if mode == "data" else ""
        address = f"{prefix}{rtype}.{name}"
        if block is None:
            return Unknown(f"{address} is not declared in this module")
        key = ("resource", address, self.interp.catching > 0)
        if key in self._memo:
            return self._memo[key]
        if address in self._active:
            return Unknown(f"{address} refers to itself")
        self._active.append(address)
        try:
            value = self._instances_value(block, mode, address)
        finally:
            self._active.pop()
        self._memo[key] = value
        return value

    def _instances_value(self, block: Block, mode: str, address: str) -> Value:
        instances = self.instances(block)
        if isinstance(instances, Unknown):
            return Unknown(f"the instances of {address} depend on {instances.reason}")
        if instances is None:
            return ResourceInstance(self, block, mode, address, {})
        if not instances:
            return Unknown(f"{address} has no instance with the values given (count/for_each)")
        objs = [
            (k, ResourceInstance(self, block, mode, address + suffix, names))
            for k, suffix, names in instances
        ]
        if block.body.attr("count") is not None:
            return [o for _, o in objs]
        return {str(k): o for k, o in objs}

    def instances(self, block: Block) -> list[tuple[Value, str, dict[str, Value]]] | Unknown | None:
        """The instances `count`/`for_each` make: (key, address suffix, names), None when
        the block has neither, Unknown when their number is not known statically."""
        count, for_each = block.body.attr("count"), block.body.attr("for_each")
        if count is not None:
            n = self.evaluate_in(count.value, {}, "count")
            if isinstance(n, (Unknown, Branches, bool)) or not isinstance(n, (int, float)):
                return _open("count", n)
            if n > MAX_INSTANCES:
                return Unknown(f"count = {n} (more than {MAX_INSTANCES} instances)")
            return [(i, f"[{i}]", {"count": {"index": i}}) for i in range(int(n))]
        if for_each is not None:
            coll = self.evaluate_in(for_each.value, {}, "for_each")
            if isinstance(coll, dict) and unknown_in(list(coll.keys())) is None:
                items = [(k, coll[k]) for k in sorted(coll)]
            elif isinstance(coll, list) and all(isinstance(v, str) for v in coll):
                items = [(v, v) for v in sorted(set(coll))]
            else:
                return _open("for_each", coll)
            if len(items) > MAX_INSTANCES:
                return Unknown(f"for_each over more than {MAX_INSTANCES} elements")
            return [(k, f'["{k}"]', {"each": {"key": k, "value": v}}) for k, v in items]
        return None

    def module_output(self, name: str) -> Value:
        if self._module_output is None:
            return Unknown(f"module.{name}'s outputs are not followed here")
        return self._module_output(name)

    def provider_fact(self, block: Block, mode: str, attr: str) -> Value | None:
        if self._provider_fact is None or mode != "data":
            return None
        return self._provider_fact(block, mode, attr)


def _open(what: str, value: Value) -> Unknown:
    if isinstance(value, Unknown):
        return Unknown(f"{what} that is not known statically ({value.reason})")
    if isinstance(value, Branches):
        if all(_no_instance(option) for option, _ in value.options):
            # `n > 0 ? n : 0` where n exists only per instance of a module call that makes
            # none: no branch makes an instance Terraform would create.
            return Unknown(f"{what} in every branch: {NO_INSTANCE}")
        return Unknown(f"{what} that has several possible values")
    return Unknown(f"{what} of an unexpected value")


def _no_instance(value: Value) -> bool:
    """A count or for_each option that makes no instance: zero, empty, or a value that
    exists only per instance of a block that makes none."""
    if isinstance(value, Unknown):
        return NO_INSTANCE in value.reason
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return value == 0
    return isinstance(value, (list, dict)) and not value
