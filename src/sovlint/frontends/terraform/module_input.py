"""One module instance to build facts for, one module call, and the module's evaluator."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sovlint.hclmodel import Attribute, Block, Document, Expr
from sovlint.model import ProviderConfig, Span, ValueRef

from .evaluator import Binding, Evaluator, Unknown, Value


@dataclass
class ModuleInput:
    """One module instance to evaluate.

    A root module has its variable-definition files (in precedence order) and its
    `-backend-config` files (`*.tfbackend`, each a candidate completion of its backend); a child
    module instead receives `inputs` from its caller's arguments and the provider
    configurations its caller passes (`inherited`, keyed by the child's own address).
    """

    unit: str
    documents: list[Document]
    var_files: list[Document] = field(default_factory=list)
    backend_files: list[Document] = field(default_factory=list)
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
    # (weakly: the evaluator holds this callback, and a cycle through it would keep each
    # module's evaluation alive until the garbage collector's next full pass)
    holder: list[weakref.ref[Evaluator]] = []
    output = module.module_output

    def module_output(name: str) -> Value:
        ev = holder[0]() if holder else None
        if output is None or ev is None:
            return Unknown(f"module.{name}'s outputs are not followed here")
        return output(ev, name)

    ev = Evaluator(
        variables,
        local_values,
        documents=module.documents,
        module_dir=module.directory,
        module_output=module_output,
        provider_fact=provider_fact,
        declared=declared,
    )
    holder.append(weakref.ref(ev))
    return ev
