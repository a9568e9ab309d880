"""Terraform's encoding, hashing and type conversion functions."""

from __future__ import annotations

import base64
import binascii
import csv
import hashlib
import io
import json
import urllib.parse
import uuid

from ..interpreter import check_string, concrete
from ..values import (
    EvalError,
    TfSet,
    Value,
    make_set,
    normal_number,
    to_bool,
    to_number,
    to_string,
    unknown_in,
)


def _s(v: Value) -> str:
    return to_string(concrete(v))


def _deep(v: Value) -> Value:
    found = unknown_in(v)
    if found is not None:
        from ..interpreter import UnknownHit

        raise UnknownHit(found)
    return v


def _json_ready(v: Value) -> Value:
    if isinstance(v, dict):
        return {k: _json_ready(v[k]) for k in sorted(v)}
    if isinstance(v, list):
        return [_json_ready(i) for i in v]
    return v


def jsonencode(v: Value) -> str:
    data = _json_ready(_deep(v))
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    # Go's encoder escapes <, >, & for HTML safety; Terraform keeps that.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return check_string(text)


def _from_json(v: object) -> Value:
    if isinstance(v, float):
        return normal_number(v)
    if isinstance(v, dict):
        return {k: _from_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_from_json(x) for x in v]
    return v


def jsondecode(v: Value) -> Value:
    text = _s(v)
    if len(text) > 1_000_000:
        raise EvalError("jsondecode() of a very long string")
    try:
        return _from_json(json.loads(text))
    except (ValueError, RecursionError):
        raise EvalError("jsondecode(): invalid JSON") from None


def base64encode(v: Value) -> str:
    return base64.b64encode(_s(v).encode()).decode()


def base64decode(v: Value) -> str:
    try:
        return base64.b64decode(_s(v), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise EvalError("base64decode(): not valid base64 of UTF-8 text") from None


def urlencode(v: Value) -> str:
    return urllib.parse.quote_plus(_s(v), safe="")


def csvdecode(v: Value) -> list[Value]:
    rows = list(csv.reader(io.StringIO(_s(v))))
    if not rows:
        return []
    header, out = rows[0], []
    for row in rows[1:]:
        if len(row) != len(header):
            raise EvalError("csvdecode(): a row has the wrong number of fields")
        out.append(dict(zip(header, row, strict=True)))
    return out


def _hash(name: str, encode: str = "hex") -> object:
    def fn(v: Value) -> str:
        digest = hashlib.new(name, _s(v).encode())
        return digest.hexdigest() if encode == "hex" else base64.b64encode(digest.digest()).decode()

    return fn


def uuidv5(namespace: Value, name: Value) -> str:
    known = {
        "dns": uuid.NAMESPACE_DNS,
        "url": uuid.NAMESPACE_URL,
        "oid": uuid.NAMESPACE_OID,
        "x500": uuid.NAMESPACE_X500,
    }
    ns = _s(namespace)
    try:
        space = known.get(ns) or uuid.UUID(ns)
    except ValueError:
        raise EvalError("uuidv5(): invalid namespace") from None
    return str(uuid.uuid5(space, _s(name)))


def tostring(v: Value) -> Value:
    v = concrete(v)
    return None if v is None else to_string(v)


def tonumber(v: Value) -> Value:
    v = concrete(v)
    return None if v is None else to_number(v)


def tobool(v: Value) -> Value:
    v = concrete(v)
    return None if v is None else to_bool(v)


def tolist(v: Value) -> Value:
    v = concrete(v)
    if isinstance(v, list):
        return list(v)
    raise EvalError("tolist() needs a list, set or tuple")


def toset(v: Value) -> Value:
    v = concrete(v)
    if isinstance(v, list):
        items = [concrete(i) for i in v]
        if any(isinstance(i, str) for i in items) and all(
            isinstance(i, (str, int, float, bool)) for i in items
        ):
            items = [to_string(i) for i in items]  # Terraform unifies to string
        return make_set(items)
    raise EvalError("toset() needs a list, set or tuple")


def tomap(v: Value) -> Value:
    v = concrete(v)
    if isinstance(v, dict) and not isinstance(v, TfSet):
        vals = [concrete(x) for x in v.values()]
        if any(isinstance(x, str) for x in vals) and all(
            isinstance(x, (str, int, float, bool)) or x is None for x in vals
        ):
            return {k: (None if x is None else to_string(x)) for k, x in v.items()}
        return dict(v)
    raise EvalError("tomap() needs a map or object")


def identity(v: Value) -> Value:
    return v


FUNCTIONS = {
    "jsonencode": jsonencode,
    "jsondecode": jsondecode,
    "base64encode": base64encode,
    "base64decode": base64decode,
    "urlencode": urlencode,
    "csvdecode": csvdecode,
    "md5": _hash("md5"),
    "sha1": _hash("sha1"),
    "sha256": _hash("sha256"),
    "sha512": _hash("sha512"),
    "base64sha256": _hash("sha256", "b64"),
    "base64sha512": _hash("sha512", "b64"),
    "uuidv5": uuidv5,
    "tostring": tostring,
    "tonumber": tonumber,
    "tobool": tobool,
    "tolist": tolist,
    "toset": toset,
    "tomap": tomap,
    "sensitive": identity,
    "nonsensitive": identity,
}
