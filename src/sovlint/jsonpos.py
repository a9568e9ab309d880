"""A strict JSON reader that remembers the line of every value.

The standard `json` module does not expose positions; Terraform JSON files and
JSON manifests need them for findings. Values are checked against `json.loads`
semantics by property tests. Standard library only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

MAX_DEPTH = 256


class JsonError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class JObject:
    items: list[tuple[str, JValue]]
    line: int
    end_line: int


@dataclass
class JArray:
    items: list[JValue]
    line: int
    end_line: int


@dataclass
class JScalar:
    value: str | int | float | bool | None
    line: int


JValue = JObject | JArray | JScalar

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def skip_ws(self) -> None:
        m = _WS.match(self.text, self.pos)
        if m:
            self.line += m.group(0).count("\n")
            self.pos = m.end()

    def fail(self, message: str) -> JsonError:
        return JsonError(message, self.line)

    def value(self, depth: int) -> JValue:
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels")
        self.skip_ws()
        if self.pos >= len(self.text):
            raise self.fail("unexpected end of input")
        ch = self.text[self.pos]
        line = self.line
        if ch == "{":
            return self.obj(depth)
        if ch == "[":
            return self.arr(depth)
        if ch == '"':
            return JScalar(self.string(), line)
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return JScalar(val, line)
        m = _NUMBER.match(self.text, self.pos)
        if m and m.end() > self.pos:
            self.pos = m.end()
            tok = m.group(0)
            try:
                num: int | float = float(tok) if any(c in tok for c in ".eE") else int(tok)
            except ValueError:  # Python refuses integers of more than 4300 digits
                raise self.fail(f"number too long ({len(tok)} digits)") from None
            return JScalar(num, line)
        raise self.fail(f"unexpected character {ch!r}")

    def string(self) -> str:
        m = _STRING.match(self.text, self.pos)
        if not m:
            raise self.fail("invalid string")
        self.pos = m.end()
        return str(json.loads(m.group(0)))

    def obj(self, depth: int) -> JObject:
        start = self.line
        self.pos += 1
        items: list[tuple[str, JValue]] = []
        self.skip_ws()
        if self.text.startswith("}", self.pos):
            self.pos += 1
            return JObject(items, start, self.line)
        while True:
            self.skip_ws()
            if not self.text.startswith('"', self.pos):
                raise self.fail("expected a string key")
            key = self.string()
            self.skip_ws()
            if not self.text.startswith(":", self.pos):
                raise self.fail("expected ':'")
            self.pos += 1
            items.append((key, self.value(depth + 1)))
            self.skip_ws()
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            if self.text.startswith("}", self.pos):
                self.pos += 1
                return JObject(items, start, self.line)
            raise self.fail("expected ',' or '}'")

    def arr(self, depth: int) -> JArray:
        start = self.line
        self.pos += 1
        items: list[JValue] = []
        self.skip_ws()
        if self.text.startswith("]", self.pos):
            self.pos += 1
            return JArray(items, start, self.line)
        while True:
            items.append(self.value(depth + 1))
            self.skip_ws()
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            if self.text.startswith("]", self.pos):
                self.pos += 1
                return JArray(items, start, self.line)
            raise self.fail("expected ',' or ']'")


def parse(text: str) -> JValue:
    """Parse one JSON document; raise JsonError with a 1-based line on failure."""
    reader = _Reader(text)
    value = reader.value(0)
    reader.skip_ws()
    if reader.pos != len(text):
        raise reader.fail("extra data after the JSON value")
    return value


def to_python(node: JValue) -> object:
    """Plain Python value (duplicate keys: last wins, as in json.loads)."""
    if isinstance(node, JScalar):
        return node.value
    if isinstance(node, JArray):
        return [to_python(v) for v in node.items]
    return {k: to_python(v) for k, v in node.items}
