"""Adapter from python-hcl2 8.x's rule tree to sovlint's HCL model.

python-hcl2 8.x does not emit line numbers in its dict output (upstream issue
amplify-education/python-hcl2#291), so we walk the rule tree returned by
`hcl2.parses`, whose block and attribute rules carry lark's position metadata
(`_meta.line` / `_meta.end_line`). Attribute values are converted from the
expression rules themselves so that literals, templates and references stay
distinguishable (python-hcl2's own serialisation mixes them).
"""

from __future__ import annotations

import re
from typing import Any

from sovlint.hclmodel import (
    Attribute,
    Block,
    Body,
    Document,
    Expr,
    Expression,
    Literal,
    ObjectExpr,
    Template,
    TupleExpr,
)


class HclSyntaxError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)|\$\$\{|%%\{", re.S)
_INTERP_RE = re.compile(r"(?<!\$)\$\{|(?<!%)%\{")
_HEREDOC_OPEN_RE = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)\r?\n")


def unescape(raw: str) -> str:
    """Decode HCL string escapes (quotes already removed)."""

    def repl(m: re.Match[str]) -> str:
        tok = m.group(0)
        if tok == "$${":
            return "${"
        if tok == "%%{":
            return "%{"
        body = m.group(1)
        if body[0] in "uU" and len(body) > 1:
            return chr(int(body[1:], 16))
        return _ESCAPES.get(body, tok)

    return _ESCAPE_RE.sub(repl, raw)


def _string(raw: str, line: int) -> Expr:
    inner = raw[1:-1] if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"' else raw
    if _INTERP_RE.search(inner):
        return Template(inner, line)
    return Literal(unescape(inner), line)


def _heredoc(raw: str, line: int) -> Expr:
    text = raw[1:-1] if raw.startswith('"') and raw.endswith('"') else raw
    first_nl = text.find("\n")
    last_nl = text.rfind("\n")
    body = text[first_nl + 1 : last_nl + 1] if first_nl != -1 and last_nl > first_nl else ""
    if text.startswith("<<-"):
        lines = body.split("\n")
        indents = [len(s) - len(s.lstrip(" \t")) for s in lines if s.strip()]
        cut = min(indents) if indents else 0
        body = "\n".join(s[cut:] for s in lines)
    if _INTERP_RE.search(body):
        return Template(body, line)
    return Literal(body, line)


def _line(node: Any, default: int) -> int:
    meta = getattr(node, "_meta", None)
    line = getattr(meta, "line", None)
    return line if isinstance(line, int) else default


def _end_line(node: Any, default: int) -> int:
    meta = getattr(node, "_meta", None)
    line = getattr(meta, "end_line", None)
    return line if isinstance(line, int) else default


def _serialized_expression(node: Any, line: int) -> Expr:
    value = node.serialize()
    return _from_serialized(value, line)


def _from_serialized(value: Any, line: int) -> Expr:
    if isinstance(value, str):
        if value.startswith("${") and value.endswith("}"):
            return Expression(value[2:-1].strip(), line)
        if value.startswith('"'):
            return _string(value, line)
        return Expression(value, line)
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return Literal(value, line)
    if isinstance(value, dict):
        return ObjectExpr(
            tuple(
                (_key(k), _from_serialized(v, line))
                for k, v in value.items()
                if k not in ("__is_block__", "__comments__")
            ),
            line,
        )
    if isinstance(value, list):
        return TupleExpr(tuple(_from_serialized(v, line) for v in value), line)
    return Expression(str(value), line)


def _key(raw: Any) -> str:
    text = str(raw)
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return unescape(text[1:-1])
    if text.startswith("${") and text.endswith("}"):
        return text[2:-1]
    return text


def convert_expr(node: Any, line: int) -> Expr:
    """Convert an expression rule; unknown shapes fall back to python-hcl2's serialisation."""
    name = type(node).__name__
    line = _line(node, line)
    if name == "ExprTermRule":
        inner = [
            c for c in node.children if c is not None and not type(c).__name__.endswith("_TOKEN")
        ]
        inner = [c for c in inner if type(c).__name__ != "NewLineOrCommentRule"]
        if len(inner) == 1:
            child = inner[0]
            cname = type(child).__name__
            if cname == "StringRule":
                return _string(child.serialize(), line)
            if cname in ("HeredocTemplateRule", "HeredocTrimTemplateRule"):
                return _heredoc(child.serialize(), line)
            if cname == "ObjectRule":
                return _object(child, line)
            if cname == "TupleRule":
                items = [
                    convert_expr(c, line)
                    for c in child.children
                    if c is not None and type(c).__name__ not in _PUNCT
                ]
                return TupleExpr(tuple(items), line)
            if cname == "ExprTermRule":
                return convert_expr(child, line)
    return _serialized_expression(node, line)


_PUNCT = {
    "LSQB_TOKEN",
    "RSQB_TOKEN",
    "COMMA_TOKEN",
    "NewLineOrCommentRule",
    "LBRACE_TOKEN",
    "RBRACE_TOKEN",
}


def _object(node: Any, line: int) -> ObjectExpr:
    items: list[tuple[str, Expr]] = []
    for elem in node.children:
        if elem is None or type(elem).__name__ != "ObjectElemRule":
            continue
        eline = _line(elem, line)
        parts = [c for c in elem.children if c is not None]
        key_rule = parts[0]
        value_rule = parts[-1]
        key = _key(key_rule.serialize())
        items.append((key, convert_expr(value_rule, eline)))
    return ObjectExpr(tuple(items), line)


def convert_body(node: Any) -> Body:
    body = Body()
    for child in node.children:
        cname = type(child).__name__
        if cname == "AttributeRule":
            line = _line(child, 0)
            name = _key(child.identifier.serialize())
            body.attributes[name] = Attribute(
                name=name,
                value=convert_expr(child.expression, line),
                line=line,
                end_line=_end_line(child, line),
            )
        elif cname == "BlockRule":
            labels = child.labels
            btype = _key(labels[0].serialize())
            block_labels = [_key(lbl.serialize()) for lbl in labels[1:]]
            line = _line(child, 0)
            body.blocks.append(
                Block(
                    type=btype,
                    labels=block_labels,
                    body=convert_body(child.body),
                    line=line,
                    end_line=_end_line(child, line),
                )
            )
    return body


def _error_line(exc: Exception) -> int:
    line = getattr(exc, "line", None)
    return line if isinstance(line, int) and line > 0 else 1


def _describe(exc: Exception) -> str:
    """One line: what lark found, without its multi-line list of expected tokens."""
    column = getattr(exc, "column", None)
    where = f" (column {column})" if isinstance(column, int) and column > 0 else ""
    token = getattr(exc, "token", None)
    if token is not None:
        if getattr(token, "type", "") == "$END":
            return "invalid HCL: unexpected end of file (unclosed block, bracket or string?)"
        text = str(token).strip() or repr(str(token))
        if len(text) > 40:
            text = text[:37] + "..."
        return f"invalid HCL: unexpected {text!r}{where}"
    char = getattr(exc, "char", None)
    if isinstance(char, str):
        return f"invalid HCL: unexpected character {char!r}{where}"
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"invalid HCL: {first}"


_FINGERPRINT: list[str] = []


def parser_fingerprint() -> str:
    """python-hcl2's version file, hashed into cache keys without importing the parser."""
    if not _FINGERPRINT:
        import importlib.util
        from pathlib import Path

        spec = importlib.util.find_spec("hcl2")
        text = ""
        if spec is not None and spec.origin:
            try:
                text = (Path(spec.origin).parent / "version.py").read_text(encoding="utf-8")
            except OSError:
                text = ""
        _FINGERPRINT.append(text or "unknown")
    return _FINGERPRINT[0]


def _for_parser(text: str) -> str:
    """Work around python-hcl2 8.x rejecting what Terraform accepts, keeping every line number:
    a heredoc's closing marker followed by spaces or tabs (`EOT  `), upstream
    amplify-education/python-hcl2#343. Only whitespace after a known marker is removed."""
    markers = set(_HEREDOC_OPEN_RE.findall(text))
    if not markers:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        end = line.rstrip(" \t\r")
        if end != line and end.lstrip(" \t") in markers:
            lines[i] = end
    return "\n".join(lines)


def parse_hcl(text: str, path: str) -> Document:
    """Parse HCL text; raise HclSyntaxError (with a line) on any failure."""
    import hcl2  # lazy: python-hcl2 and lark are the heaviest imports of a scan

    try:
        tree = hcl2.parses(_for_parser(text))
        body = convert_body(tree.body)
    except RecursionError:
        raise HclSyntaxError("nesting too deep to parse", 1) from None
    except Exception as exc:  # lark raises many exception types; all mean "not valid HCL"
        inner = getattr(exc, "orig_exc", None)  # lark's VisitError wraps the transformer's error
        if isinstance(inner, RecursionError):
            raise HclSyntaxError("nesting too deep to parse", 1) from None
        if isinstance(inner, Exception):
            exc = inner
        if isinstance(exc, ValueError) and "4300 digits" in str(exc):
            # Python refuses to convert longer integers (quadratic time): not read, SOV001.
            raise HclSyntaxError("number too long (more than 4300 digits)", 1) from None
        raise HclSyntaxError(_describe(exc), _error_line(exc)) from None
    return Document(path=path, body=body, text=text)
