"""textencodebase64 / textdecodebase64: a string in another character encoding, as Base64.

Only encodings whose bytes Python produces exactly as Terraform's (Go's x/text) do are
evaluated; any other name may still be valid in Terraform, so it is unknown, not an error.
"""

from __future__ import annotations

import base64
import binascii
from typing import NoReturn

from ..interpreter import check_string, concrete
from ..values import EvalError, Unknown, Value, to_string

# IANA names (compared case-insensitively) -> Python codec.
_CODECS = {
    "utf-8": "utf-8",
    "utf-16le": "utf-16-le",
    "utf-16be": "utf-16-be",
    "iso-8859-1": "latin-1",
}
_UTF16_BOM = b"\xfe\xff"


def _unsupported(name: str) -> NoReturn:
    from ..interpreter import UnknownHit

    raise UnknownHit(Unknown(f"sovlint does not evaluate the character encoding {name!r}"))


def textencodebase64(text: Value, encoding: Value) -> str:
    s, name = to_string(concrete(text)), to_string(concrete(encoding))
    key = name.lower()
    if key == "utf-16":  # big-endian with a byte order mark, as Go writes it
        data = _UTF16_BOM + s.encode("utf-16-be")
    elif key in _CODECS:
        try:
            data = s.encode(_CODECS[key])
        except UnicodeEncodeError:
            raise EvalError(f"the string has characters that {name} cannot represent") from None
    else:
        _unsupported(name)
    return check_string(base64.b64encode(data).decode("ascii"))


def textdecodebase64(source: Value, encoding: Value) -> str:
    s, name = to_string(concrete(source)), to_string(concrete(encoding))
    key = name.lower()
    if key not in _CODECS:
        _unsupported(name)
    try:
        data = base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError):
        raise EvalError("the string is not valid Base64") from None
    try:
        return check_string(data.decode(_CODECS[key]))
    except UnicodeDecodeError:
        # Go substitutes U+FFFD for some invalid sequences and refuses others
        from ..interpreter import UnknownHit

        raise UnknownHit(Unknown(f"bytes that are not valid {name}")) from None


FUNCTIONS = {"textencodebase64": textencodebase64, "textdecodebase64": textdecodebase64}
