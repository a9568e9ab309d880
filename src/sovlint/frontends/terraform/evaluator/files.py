"""Filesystem functions: answered only for files inside the scanned module, read bounded.

`file("${path.module}/x")` inside the module is read (at most MAX_FILE bytes, UTF-8);
a path outside it, a missing or unreadable file is unknown with the reason, never guessed.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from pathlib import Path

from .interpreter import Interpreter, Scope, UnknownHit, concrete
from .values import EvalError, Unknown, Value, to_string

MAX_FILE = 1_000_000


def _inside(scope: Scope, name: Value) -> Path:
    root = getattr(scope, "module_dir", None)
    text = to_string(concrete(name))
    if root is None:
        raise UnknownHit(Unknown(f"file {text!r} is not read outside a scanned directory"))
    base = Path(root).resolve()
    path = Path(text) if os.path.isabs(text) else base / text
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        raise UnknownHit(Unknown(f"file {text!r} cannot be resolved")) from None
    if real != base and base not in real.parents:
        raise UnknownHit(Unknown(f"file {text!r} is outside the scanned module"))
    return real


def _read(scope: Scope, name: Value) -> bytes:
    path = _inside(scope, name)
    try:
        if not path.is_file():
            raise UnknownHit(Unknown(f"file {path.name!r} does not exist in the module"))
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE + 1)
    except OSError as exc:
        raise UnknownHit(Unknown(f"file {path.name!r} cannot be read: {exc.strerror}")) from None
    if len(data) > MAX_FILE:
        raise UnknownHit(Unknown(f"file {path.name!r} is larger than {MAX_FILE} bytes"))
    return data


def file_(interp: Interpreter, scope: Scope, name: Value) -> Value:
    try:
        return _read(scope, name).decode("utf-8")
    except UnicodeDecodeError:
        raise EvalError("file() of a file that is not UTF-8 text") from None


def filebase64(interp: Interpreter, scope: Scope, name: Value) -> Value:
    return base64.b64encode(_read(scope, name)).decode()


def fileexists(interp: Interpreter, scope: Scope, name: Value) -> Value:
    return _inside(scope, name).is_file()


def templatefile(interp: Interpreter, scope: Scope, name: Value, variables: Value) -> Value:
    return render_with(interp, str(file_(interp, scope, name)), variables, "templatefile()")


def render_with(interp: Interpreter, text: str, variables: Value, what: str) -> Value:
    """A template's text rendered with only `variables` in scope."""
    from .template_eval import render_template
    from .templates import parse_template

    names = concrete(variables)
    if not isinstance(names, dict):
        raise EvalError(f"{what} variables must be an object")
    node = parse_template(text, quoted=False)
    return render_template(interp, node[1], _TemplateScope(names, what))


class _TemplateScope(Scope):
    def __init__(self, names: dict[str, Value], what: str) -> None:
        self.names = names
        self.what = what

    def root(self, name: str) -> Value:
        if name in self.names:
            return self.names[name]
        raise EvalError(f"{self.what}: variable {name!r} not given")


def basename(interp: Interpreter, scope: Scope, path: Value) -> Value:
    return os.path.basename(to_string(concrete(path)).rstrip("/")) or "/"


def dirname(interp: Interpreter, scope: Scope, path: Value) -> Value:
    return os.path.dirname(to_string(concrete(path))) or "."


FILE_FUNCTIONS: dict[str, Callable[..., Value]] = {
    "file": file_,
    "filebase64": filebase64,
    "fileexists": fileexists,
    "templatefile": templatefile,
    "basename": basename,
    "dirname": dirname,
}
