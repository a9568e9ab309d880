"""Terraform's string functions (https://developer.hashicorp.com/terraform/language/functions)."""

from __future__ import annotations

import json
import re

from ..interpreter import MAX_ITEMS, check_string, concrete
from ..values import EvalError, Value, number_text, to_number, to_string

MAX_PATTERN = 256
MAX_SUBJECT = 10_000
# A group that repeats and contains a repetition ((a+)+, (a|aa)*): exponential in Python's re.
_NESTED_REPEAT = re.compile(
    r"\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{?]|\((?:[^()\\]|\\.)*\|(?:[^()\\]|\\.)*\)[*+{]"
)


def s(value: Value) -> str:
    return to_string(concrete(value))


def lower(v: Value) -> str:
    return s(v).lower()


def upper(v: Value) -> str:
    return s(v).upper()


def _separator(c: str) -> bool:
    """Go's strings.Title word boundary."""
    if c.isascii():
        return not (c.isalnum() or c == "_")
    return c.isspace()


def title(v: Value) -> str:
    out, prev = [], " "
    for c in s(v):
        out.append(c.upper() if _separator(prev) else c)
        prev = c
    return "".join(out)


def chomp(v: Value) -> str:
    return re.sub(r"(\r\n|\n|\r)+$", "", s(v))


def trimspace(v: Value) -> str:
    return s(v).strip()


def trim(v: Value, chars: Value) -> str:
    return s(v).strip(s(chars))


def trimprefix(v: Value, prefix: Value) -> str:
    text, p = s(v), s(prefix)
    return text[len(p) :] if p and text.startswith(p) else text


def trimsuffix(v: Value, suffix: Value) -> str:
    text, x = s(v), s(suffix)
    return text[: -len(x)] if x and text.endswith(x) else text


def startswith(v: Value, prefix: Value) -> bool:
    return s(v).startswith(s(prefix))


def endswith(v: Value, suffix: Value) -> bool:
    return s(v).endswith(s(suffix))


def strcontains(v: Value, sub: Value) -> bool:
    return s(sub) in s(v)


def strrev(v: Value) -> str:
    return s(v)[::-1]


def substr(v: Value, offset: Value, length: Value) -> str:
    text = s(v)
    off, n = int(to_number(concrete(offset))), int(to_number(concrete(length)))
    if off < 0:
        off = max(0, off + len(text))
    off = min(off, len(text))
    return text[off:] if n < 0 else text[off : off + n]


def indent(spaces: Value, v: Value) -> str:
    pad = " " * int(to_number(concrete(spaces)))
    return check_string(s(v).replace("\n", "\n" + pad))


def join(sep: Value, *lists: Value) -> str:
    items: list[str] = []
    for lst in lists:
        lst = concrete(lst)
        if not isinstance(lst, list):
            raise EvalError("join() takes lists")
        items.extend(s(i) for i in lst)
    return check_string(s(sep).join(items))


def split(sep: Value, v: Value) -> list[Value]:
    text, d = s(v), s(sep)
    if d == "":
        return list(text)[:MAX_ITEMS]
    return text.split(d)[: MAX_ITEMS + 1]


def replace(v: Value, search: Value, repl: Value) -> str:
    text, pat, sub = s(v), s(search), s(repl)
    if len(pat) > 2 and pat.startswith("/") and pat.endswith("/"):
        rx = _compile(pat[1:-1], text)
        sub_py = re.sub(
            r"\$(\d+)|\$\{(\w+)\}", lambda m: "\\g<" + (m.group(1) or m.group(2)) + ">", sub
        )
        return check_string(rx.sub(sub_py, text))
    return check_string(text.replace(pat, sub))


def _compile(pattern: str, subject: str) -> re.Pattern[str]:
    if len(pattern) > MAX_PATTERN or len(subject) > MAX_SUBJECT or _NESTED_REPEAT.search(pattern):
        from ..interpreter import UnknownHit
        from ..values import Unknown

        raise UnknownHit(Unknown("a regular expression too costly to evaluate safely"))
    try:
        return re.compile(pattern.replace("(?P<", "(?P<").replace("\\z", "\\Z"))
    except re.error as exc:
        raise EvalError(f"invalid regular expression: {exc}") from None


def _match_value(rx: re.Pattern[str], m: re.Match[str]) -> Value:
    if rx.groupindex:
        return {name: m.group(name) or "" for name in rx.groupindex}
    if rx.groups:
        return [g or "" for g in m.groups()]
    return m.group(0)


def regex(pattern: Value, v: Value) -> Value:
    text = s(v)
    rx = _compile(s(pattern), text)
    m = rx.search(text)
    if m is None:
        raise EvalError("pattern did not match")
    return _match_value(rx, m)


def regexall(pattern: Value, v: Value) -> list[Value]:
    text = s(v)
    rx = _compile(s(pattern), text)
    return [_match_value(rx, m) for m in rx.finditer(text)][:MAX_ITEMS]


_VERB = re.compile(r"%(?:\[(\d+)\])?([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])")


def format_(fmt: Value, *args: Value) -> str:
    text = s(fmt)
    pos = 0
    out: list[str] = []
    last = 0

    def take(explicit: str | None) -> Value:
        nonlocal pos
        if explicit:
            pos = int(explicit) - 1
        if pos >= len(args):
            raise EvalError("not enough arguments for format()")
        value = concrete(args[pos])
        pos += 1
        return value

    for m in _VERB.finditer(text):
        out.append(text[last : m.start()])
        last = m.end()
        explicit, flags, width, prec, verb = m.groups()
        if verb == "%":
            out.append("%")
            continue
        if (width and int(width) > 1000) or (prec and int(prec) > 1000):
            raise EvalError("format width too large")
        value = take(explicit)
        out.append(_verb(verb, flags, width, prec, value))
    out.append(text[last:])
    return check_string("".join(out))


def _verb(verb: str, flags: str, width: str | None, prec: str | None, value: Value) -> str:
    if verb == "v" and isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    if verb in ("s", "v"):
        return format(to_string(value), _pad(flags, width, prec if verb == "s" else None))
    if verb == "q":
        return format(json.dumps(to_string(value), ensure_ascii=False), _pad(flags, width, None))
    if verb == "t":
        if not isinstance(value, bool):
            raise EvalError("%t needs a bool")
        return format("true" if value else "false", _pad(flags, width, None))
    num = to_number(value)
    spec = ("<" if "-" in flags else "") + ("+" if "+" in flags else " " if " " in flags else "")
    spec += "#" if "#" in flags and verb in "boxX" else ""
    spec += "0" if "0" in flags and "-" not in flags else ""
    spec += width or ""
    if verb in "dboxX":
        if not isinstance(num, int):
            raise EvalError(f"%{verb} needs a whole number")
        return format(num, spec + ("" if verb == "d" else verb))
    if verb in "feE":
        return format(float(num), spec + f".{prec or 6}" + verb)
    if verb in "gG":
        if prec is None and not width:
            return number_text(num)
        return format(float(num), spec + (f".{prec}" if prec else "") + verb)
    raise EvalError(f"unsupported format verb %{verb}")


def _pad(flags: str, width: str | None, prec: str | None) -> str:
    align = "<" if "-" in flags else ">"
    return (f"{align}{width}" if width else "") + (f".{prec}" if prec else "")


def formatlist(fmt: Value, *args: Value) -> list[Value]:
    lengths = {len(concrete(a)) for a in args if isinstance(concrete(a), list)}
    if len(lengths) > 1:
        raise EvalError("formatlist() lists of different lengths")
    n = lengths.pop() if lengths else 1
    out = []
    for i in range(min(n, MAX_ITEMS)):
        row = [concrete(a)[i] if isinstance(concrete(a), list) else a for a in args]
        out.append(format_(fmt, *row))
    return out


FUNCTIONS = {
    "lower": lower,
    "upper": upper,
    "title": title,
    "chomp": chomp,
    "trimspace": trimspace,
    "trim": trim,
    "trimprefix": trimprefix,
    "trimsuffix": trimsuffix,
    "startswith": startswith,
    "endswith": endswith,
    "strcontains": strcontains,
    "strrev": strrev,
    "substr": substr,
    "indent": indent,
    "join": join,
    "split": split,
    "replace": replace,
    "regex": regex,
    "regexall": regexall,
    "format": format_,
    "formatlist": formatlist,
}
