"""Option values without pydantic: the start-up path of `sovlint scan` (pre-commit runs it on
every commit).

typer (>= 0.2x) converts every option value through a pydantic `TypeAdapter`, built when the
value is processed, even for an option left at its default: importing pydantic and building
~20 adapters was a third of a warm one-file scan. sovlint's options are plain `str`, `Path`
and `int` values (and lists of them); `LeanCommand` converts those itself, exactly as typer
would, and hands anything else (a value that does not convert trivially, a range error,
another annotation) to typer's own conversion, so messages and results stay typer's.

This relies on typer's per-parameter hook `_runtime_param` (lazily built by typer); when a
typer version has no such hook, nothing is installed and typer behaves as usual.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from typer.core import TyperCommand, TyperGroup

_SIMPLE = (str, int, Path, bool)


class _LeanConversion:
    """typer's `RuntimeParam.coerce` for str / int / Path (and lists of them)."""

    def __init__(self, annotation: Any, descriptor: Any) -> None:
        self.annotation = annotation
        self.descriptor = descriptor
        self._typer: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        multiple = bool(param.multiple or param.nargs == -1)
        if value is None:
            return () if multiple else None
        if multiple and isinstance(value, (list, tuple)):
            items = [self._convert(item) for item in value]
            if all(item is not _UNCONVERTED for item in items):
                return items
        elif not multiple:
            converted = self._convert(value)
            if converted is not _UNCONVERTED:
                return converted
        return self._fallback().coerce(value, param=param, ctx=ctx)

    def _convert(self, value: Any) -> Any:
        if self.annotation is bool:
            return value if isinstance(value, bool) else _UNCONVERTED
        if self.annotation is str:
            return value if isinstance(value, str) else _UNCONVERTED
        if self.annotation is Path:
            return self._path(value)
        # int: plain decimal digits (or an int default) within the option's range
        if isinstance(value, str) and value.isascii() and value.isdigit():
            number = int(value)
        elif type(value) is int:
            number = value
        else:
            return _UNCONVERTED
        info = self.descriptor.parameter_info
        if (info.min is not None and number < info.min) or (
            info.max is not None and number > info.max
        ):
            return _UNCONVERTED  # typer words the range error
        return number

    def _path(self, value: Any) -> Any:
        """typer's path checks for a plain `Path` option: an existing path that is not
        readable (or not writable when asked) is typer's usage error, so typer words it."""
        if not isinstance(value, str) or not value:
            return _UNCONVERTED
        info = self.descriptor.parameter_info
        try:
            os.stat(value)
        except OSError:
            return Path(value)
        if (info.readable and not os.access(value, os.R_OK)) or (
            info.writable and not os.access(value, os.W_OK)
        ):
            return _UNCONVERTED
        return Path(value)

    def _fallback(self) -> Any:
        if self._typer is None:
            from typer._coercion import build_runtime_param

            self._typer = build_runtime_param(self.descriptor)
        return self._typer


_UNCONVERTED = object()


def _lean_for(param: Any) -> _LeanConversion | None:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or getattr(param, "_runtime_param", False) is not None:
        return None  # not a typer parameter of a known shape, or already built
    info = descriptor.parameter_info
    annotation: Any = descriptor.annotation
    if getattr(descriptor, "is_list", False):
        args: tuple[Any, ...] = getattr(annotation, "__args__", ())
        annotation = args[0] if len(args) == 1 else None
    if annotation not in _SIMPLE or getattr(info, "parser", None) is not None:
        return None
    if annotation is int and getattr(info, "clamp", False):
        return None
    if annotation is Path and (
        any(getattr(info, flag, True) for flag in ("exists", "resolve_path", "allow_dash"))
        or getattr(info, "path_type", None) is not None
        or getattr(info, "file_okay", False) is not True
        or getattr(info, "dir_okay", False) is not True
    ):
        return None  # typer's own path checks
    return _LeanConversion(annotation, descriptor)


def _install(params: list[Any]) -> None:
    for param in params:
        lean = _lean_for(param)
        if lean is not None:
            param._runtime_param = lean


class LeanCommand(TyperCommand):
    """A typer command whose simple option values are converted without pydantic."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)  # (with --help, made on demand)
        _install(params)
        return params


class LeanGroup(TyperGroup):
    """The same for the command group's own options (`--version`, `--help`)."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        _install(params)
        return params
