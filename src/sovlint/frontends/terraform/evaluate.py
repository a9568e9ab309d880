"""The Terraform evaluator's entry points (the implementation is the `evaluator` package)."""

from __future__ import annotations

from .evaluator import UNKNOWN, Binding, Branches, Evaluator, Unknown, unknown_in

__all__ = ["UNKNOWN", "Binding", "Branches", "Evaluator", "Unknown", "unknown_in"]
