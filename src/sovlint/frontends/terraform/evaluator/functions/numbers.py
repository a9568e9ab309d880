"""Terraform's numeric functions."""

from __future__ import annotations

import math

from ..interpreter import concrete
from ..values import EvalError, Value, normal_number, to_number, to_string


def _n(v: Value) -> int | float:
    return to_number(concrete(v))


def abs_(v: Value) -> Value:
    return normal_number(abs(_n(v)))


def ceil(v: Value) -> Value:
    n = _n(v)
    return n if math.isinf(n) else math.ceil(n)


def floor(v: Value) -> Value:
    n = _n(v)
    return n if math.isinf(n) else math.floor(n)


def log(v: Value, base: Value) -> Value:
    x, b = _n(v), _n(base)
    if x <= 0 or b <= 0 or b == 1:
        raise EvalError("log() of a value out of range")
    return normal_number(math.log(x) / math.log(b))


def max_(*args: Value) -> Value:
    if not args:
        raise EvalError("max() needs arguments")
    return max(_n(a) for a in args)


def min_(*args: Value) -> Value:
    if not args:
        raise EvalError("min() needs arguments")
    return min(_n(a) for a in args)


def parseint(v: Value, base: Value) -> Value:
    b = _n(base)
    if not isinstance(b, int) or not 2 <= b <= 62:
        raise EvalError("parseint() base must be 2 to 62")
    text = to_string(concrete(v))
    if len(text) > 128:
        raise EvalError("parseint() of a very long string")
    digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    sign, body = (-1, text[1:]) if text.startswith("-") else (1, text.lstrip("+"))
    if not body:
        raise EvalError("parseint() of an empty number")
    total = 0
    for c in body:
        d = digits.find(c) if b > 36 else digits.find(c.lower())
        if d < 0 or d >= b:
            raise EvalError(f"cannot parse {text!r} as a base {b} integer")
        total = total * b + d
    return sign * total


def pow_(x: Value, y: Value) -> Value:
    a, b = _n(x), _n(y)
    if isinstance(a, int) and isinstance(b, int) and 0 <= b <= 64:
        return a**b
    try:
        return normal_number(math.pow(a, b))
    except (OverflowError, ValueError):
        raise EvalError("pow() out of range") from None


def signum(v: Value) -> Value:
    n = _n(v)
    if not isinstance(n, int):
        raise EvalError("signum() needs a whole number")
    return 0 if n == 0 else (1 if n > 0 else -1)


FUNCTIONS = {
    "abs": abs_,
    "ceil": ceil,
    "floor": floor,
    "log": log,
    "max": max_,
    "min": min_,
    "parseint": parseint,
    "pow": pow_,
    "signum": signum,
}
