"""`module.NAME.OUTPUT`: a child module's output, evaluated with the inputs its caller gives.

The child is read the way the module walk reads it (same directory resolution, same depth
and cycle limits); its outputs are evaluated lazily, only when a caller's expression reads
one. A module that cannot be followed gives unknown values with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sovlint.hclmodel import Block, Document, Expression, expr_text

from .evaluator import Binding, Evaluator, Unknown, Value
from .evaluator.interpreter import Namespace
from .evaluator.values import EvalError
from .module_input import ModuleInput, module_evaluator

if TYPE_CHECKING:
    from .modules import ModuleTree


class _Outputs(Namespace):
    def __init__(self, ev: Evaluator, outputs: dict[str, Block], address: str) -> None:
        self.ev = ev
        self.outputs = outputs
        self.address = address

    def get(self, key: str) -> Value:
        block = self.outputs.get(key)
        if block is None:
            raise EvalError(f"{self.address} has no output {key!r}")
        attr = block.body.attr("value")
        if attr is None:
            raise EvalError(f"output {key!r} of {self.address} has no value")
        return self.ev.evaluate_in(attr.value, {}, f"output {key!r} of {self.address}")

    def materialize(self) -> Value:
        return {k: self.get(k) for k in self.outputs}


def output_resolver(
    tree: ModuleTree,
    root: Path,
    directory: Path,
    documents: list[Document],
    stack: list[Path],
    keys: list[str],
) -> Callable[[Evaluator, str], Value]:
    """The callback a module's evaluator uses for `module.NAME`."""
    cache: dict[str, Value] = {}

    def resolve(ev: Evaluator, name: str) -> Value:
        if name not in cache:
            cache[name] = Unknown(f"module.{name} refers to itself")
            cache[name] = _module_value(tree, root, directory, documents, stack, keys, ev, name)
        return cache[name]

    return resolve


def _module_value(
    tree: ModuleTree,
    root: Path,
    directory: Path,
    documents: list[Document],
    stack: list[Path],
    keys: list[str],
    ev: Evaluator,
    name: str,
) -> Value:
    from .modules import MAX_DEPTH

    block = next(
        (
            b
            for d in documents
            for b in d.body.blocks_of("module")
            if b.labels and b.labels[0] == name
        ),
        None,
    )
    if block is None:
        raise EvalError(f"module.{name} is not declared in this module")
    source_attr = block.body.attr("source")
    source = (
        source_attr.value.value
        if source_attr is not None and hasattr(source_attr.value, "value")
        else None
    )
    if not isinstance(source, str):
        return Unknown(f"module.{name}'s source is not a literal string")
    child_dir, child_docs, reason = tree.output_documents(root, directory, source, name, keys)
    if child_dir is None:
        return Unknown(f"module.{name}'s outputs are not known: {reason}")
    if child_dir in stack or len(stack) >= MAX_DEPTH:
        return Unknown(f"module.{name} is nested too deeply or in a cycle")
    outputs = {b.labels[0]: b for d in child_docs for b in d.body.blocks_of("output") if b.labels}
    instances = ev.instances(block)
    if isinstance(instances, Unknown):
        return Unknown(f"the instances of module.{name} depend on {instances.reason}")

    def one(suffix: str, names: dict[str, Value]) -> _Outputs:
        inputs = {}
        for arg, attr in block.body.attributes.items():
            if arg in ("source", "version", "providers", "count", "for_each", "depends_on"):
                continue
            opaque = Expression(f"({expr_text(attr.value)})", attr.line)
            inputs[arg] = Binding(
                opaque, f"argument {arg!r} of module.{name}", ev.evaluate(attr.value, names)
            )
        child = ModuleInput(
            unit=str(child_dir),
            documents=child_docs,
            inputs=inputs,
            is_root=False,
            directory=child_dir,
        )
        child.module_output = output_resolver(
            tree, root, child_dir, child_docs, [*stack, child_dir], [*keys, name]
        )
        return _Outputs(module_evaluator(child), outputs, f"module.{name}{suffix}")

    if instances is None:
        return one("", {})
    if block.body.attr("count") is not None:
        return [one(suffix, names) for _, suffix, names in instances]
    return {str(k): one(suffix, names) for k, suffix, names in instances}
