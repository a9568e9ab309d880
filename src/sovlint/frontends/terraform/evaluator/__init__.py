"""A static evaluator for Terraform's expression language.

values (Unknown, Branches), lexer/parser/templates (text -> tree), interpreter (operators,
conditionals, for, splat, access), functions (Terraform's pure built-ins), scope and
evaluator (var, local, resources, data, modules, count/for_each) and types (conversion,
optional() defaults). Bounded in depth, size and steps: a pathological expression ends as
an unknown with the reason, never a hang.
"""

from __future__ import annotations

from .bindings import Binding
from .evaluator import Evaluator
from .values import Branches, Unknown, Value, unknown_in

UNKNOWN = object()

__all__ = ["UNKNOWN", "Binding", "Branches", "Evaluator", "Unknown", "Value", "unknown_in"]
