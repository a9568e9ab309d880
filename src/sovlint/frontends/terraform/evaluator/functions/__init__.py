"""Terraform's pure built-in functions, by name."""

from __future__ import annotations

from collections.abc import Callable

from ..values import Value


def builtins() -> dict[str, Callable[..., Value]]:
    from . import collections, dates, encoding, network, numbers, strings, text_encoding

    table: dict[str, Callable[..., Value]] = {}
    for module in (strings, collections, numbers, encoding, network, dates, text_encoding):
        table.update(module.FUNCTIONS)
    return table
