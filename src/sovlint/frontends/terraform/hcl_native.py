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


def _positions(node: Any) -> tuple[int, int] | None:
    """Source offsets of a rule: its own, or the union of its children's (some rules have none)."""
    meta = getattr(node, "_meta", None)
    start, end = getattr(meta, "start_pos", None), getattr(meta, "end_pos", None)
    if isinstance(start, int) and isinstance(end, int):
        return start, end
    spans = [p for p in (_positions(c) for c in getattr(node, "children", None) or []) if p]
    for token in getattr(node, "children", None) or []:
        pos, end_pos = getattr(token, "start_pos", None), getattr(token, "end_pos", None)
        if isinstance(pos, int) and isinstance(end_pos, int):
            spans.append((pos, end_pos))
    if not spans:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans)


def _slice(node: Any, src: str) -> str:
    """The expression exactly as written (both parsers' Expression text is a source slice)."""
    span = _positions(node)
    if span is not None and 0 <= span[0] <= len(src):  # python-hcl2 parses src + "\n"
        return _without_trailing_comments(src[span[0] : span[1]]).strip()
    return str(node.serialize())


def _without_trailing_comments(text: str) -> str:
    """Drop comments that python-hcl2's positions include after some expressions."""
    code_end = 0  # end of the last character that is code (not comment, not space)
    i, n = 0, len(text)
    quote = False
    while i < n:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                quote = False
            code_end = i + 1
        elif ch == '"':
            quote = True
            code_end = i + 1
        elif ch == "#" or text.startswith("//", i):
            newline = text.find("\n", i)
            i = n if newline == -1 else newline
            continue
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2)
            i = n if close == -1 else close + 2
            continue
        elif not ch.isspace():
            code_end = i + 1
        i += 1
    return text[:code_end]


def _key(raw: Any) -> str:
    text = str(raw)
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return unescape(text[1:-1])
    if text.startswith("${") and text.endswith("}"):
        return text[2:-1]
    return text


_TOKENS_AND_LAYOUT = ("NewLineOrCommentRule",)


def _parts(node: Any) -> list[Any]:
    return [
        c
        for c in node.children
        if c is not None
        and not type(c).__name__.endswith("_TOKEN")
        and type(c).__name__ not in _TOKENS_AND_LAYOUT
    ]


def convert_expr(node: Any, line: int, src: str) -> Expr:
    """Literals, strings, heredocs, objects and tuples become values; any other expression
    keeps its source text. Parentheses are transparent."""
    line = _line(node, line)
    if type(node).__name__ == "ExprTermRule":
        inner = _parts(node)
        if len(inner) == 1:
            child = inner[0]
            cname = type(child).__name__
            if cname == "StringRule":
                return _string(child.serialize(), line)
            if cname in ("HeredocTemplateRule", "HeredocTrimTemplateRule"):
                return _heredoc(child.serialize(), line)
            if cname == "ObjectRule":
                return _object(child, line, src)
            if cname == "TupleRule":
                return TupleExpr(tuple(convert_expr(c, line, src) for c in _parts(child)), line)
            if cname == "ExprTermRule":
                return convert_expr(child, line, src)
            value = child.serialize()
            if value is None or isinstance(value, (bool, int, float)):
                return Literal(value, line)
            node = child  # parentheses are transparent: `(a ? b : c)` is `a ? b : c`
    text = _slice(node, src)
    if _NEGATIVE_NUMBER_RE.fullmatch(text):  # python-hcl2 keeps -1 (not -1.5) as an operation
        return Literal(float(text) if any(c in text for c in ".eE") else int(text), line)
    return Expression(text, line)


_NEGATIVE_NUMBER_RE = re.compile(r"-[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def _object(node: Any, line: int, src: str) -> ObjectExpr:
    items: list[tuple[str, Expr]] = []
    for elem in node.children:
        if elem is None or type(elem).__name__ != "ObjectElemRule":
            continue
        eline = _line(elem, line)
        parts = [c for c in elem.children if c is not None]
        key_rule, value_rule = parts[0], parts[-1]
        items.append((_object_key(key_rule, src), convert_expr(value_rule, eline, src)))
    return ObjectExpr(tuple(items), line)


def _object_key(node: Any, src: str) -> str:
    """A bare name or a quoted string is the key itself; any other key expression, its source."""
    raw = str(node.serialize())
    if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"' and not _INTERP_RE.search(raw):
        return unescape(raw[1:-1])
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", raw):
        return raw
    return _slice(node, src)


def convert_body(node: Any, src: str) -> Body:
    body = Body()
    for child in node.children:
        cname = type(child).__name__
        if cname == "AttributeRule":
            line = _line(child, 0)
            name = _key(child.identifier.serialize())
            body.attributes[name] = Attribute(
                name=name,
                value=convert_expr(child.expression, line, src),
                line=line,
                end_line=line + _slice(child, src).count("\n"),  # last line with text of it
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
                    body=convert_body(child.body, src),
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
    """What a cached parse depends on: python-hcl2's and tree-sitter-hcl's installed files and
    sovlint's own adapter sources (a fix to an adapter must never be served a stale parse).
    Computed once per process, without importing the parsers."""
    if not _FINGERPRINT:
        import importlib.util
        from pathlib import Path

        parts: list[str] = []
        for name in ("hcl2", "tree_sitter_hcl", "tree_sitter"):
            spec = importlib.util.find_spec(name)
            if spec is None or not spec.origin:
                parts.append(f"{name}:absent")
                continue
            package = Path(spec.origin).parent
            try:
                stamps = sorted(
                    f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                    for p in package.iterdir()
                    if p.suffix in (".py", ".so", ".pyd")
                )
            except OSError:
                stamps = ["unreadable"]
            parts.append(f"{name}:" + ",".join(stamps))
        here = Path(__file__).resolve().parent
        for source in (
            here / "hcl_native.py",
            here / "hcl_fast.py",
            here / "hcl_json.py",
            here.parent.parent / "hclmodel.py",
        ):
            try:
                parts.append(source.read_text(encoding="utf-8"))
            except OSError:
                parts.append(f"{source.name}:unreadable")
        import hashlib

        # A short digest: it is hashed again into the key of every cached file.
        _FINGERPRINT.append(hashlib.sha256("\n".join(parts).encode("utf-8", "replace")).hexdigest())
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
        src = _for_parser(text)
        tree = hcl2.parses(src)
        body = convert_body(tree.body, src)
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
