"""Hostnames in strings: URLs, host[:port], connection strings, embedded config lines.

Standard library only, and linear in the input: every function below reads its input a
bounded number of times (no regular expression that can backtrack, no rescan per match),
so a 1 MB value costs a hundred times a 10 kB one (bench/linear.py measures it).

`hosts_in` reads a value line by line, the way configuration embedded in a value is
written (a ConfigMap's `loki.yaml: |`, a user_data script, an INI or TOML file):

- comment lines are skipped (`#` YAML/TOML/shell/nginx, `;` INI, `//`), and so is the
  end of a line after a whitespace-preceded `#`;
- `key: value`, `key = value`, `key=value`, `--flag=value`, `--flag value` and
  `Key=value;Key2=value2` (connection strings) give their values;
- a URL with a scheme counts anywhere in a code line; a bare `host[:port][/path]` only
  where it is a whole value (the whole line, a key's value, a flag's value, a quoted
  string or an element of a list), so prose such as a description naming a site is not
  an egress.
"""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_HOST = 253  # DNS: a longer name is not a hostname (and bounds every catalog match)
MAX_LABEL = 63
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-._")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_SEPARATOR_TABLE = str.maketrans(",;", "  ")
_WRAPPERS = "\"'`()[]{}<>"
_COMMENT_STARTS = ("#", ";", "//")


def _valid_host(candidate: str, need_dot: bool) -> str | None:
    host = candidate.lower()
    if host.endswith("."):  # an absolute name: `example.com.`
        host = host[:-1]
    if not host or len(host) > MAX_HOST or not set(host) <= _HOST_CHARS:
        return None
    labels = host.split(".")
    if any(not label or len(label) > MAX_LABEL for label in labels):
        return None
    if need_dot and (len(labels) < 2 or not any(c.isalpha() for c in labels[-1])):
        return None
    return host


def _url_host(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return _valid_host(host, need_dot=False) if host else None


def host_of(value: str) -> str | None:
    """The hostname of a URL or of a bare host[:port][/path] string, else None."""
    text = value.strip().strip(_WRAPPERS)
    if "://" in text:
        return _url_host(text)
    return _valid_host(text.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0], need_dot=True)


def _url_in(token: str) -> str | None:
    """The host of a `scheme://...` URL inside a token (`url=https://x`, `(https://x)`)."""
    at = token.find("://")
    if at <= 0:
        return None
    start = at
    while start > 0 and token[start - 1] in _SCHEME_CHARS:
        start -= 1
    while start < at and not token[start].isalpha():
        start += 1
    if start == at:
        return None
    ends = [i for i in (token.find(c, at) for c in "\"'<>`") if i >= 0]
    return _url_host(token[start : min(ends, default=len(token))])


def _bare_host(token: str) -> str | None:
    """`host`, `host:port`, `host/path`, or `word:host` (`tcp:db.example.net`)."""
    token = token.strip(_WRAPPERS)
    head, sep, tail = token.partition(":")
    if sep and tail and "." not in head and not tail[:1].isdigit() and head.isalpha():
        token = tail  # `tcp:server.example.net,1433`, `endpoint:host` (no space)
    return host_of(token) if token else None


def _tokens(line: str) -> list[str]:
    """Whitespace-, comma- and semicolon-separated words (one pass, in C)."""
    return line.translate(_SEPARATOR_TABLE).split()


def _code_part(line: str) -> str:
    """The line without a comment: '' for a comment line, the part before ` #` otherwise."""
    stripped = line.strip()
    if stripped.startswith(_COMMENT_STARTS):
        return ""
    # YAML, shell, TOML, nginx end-of-line comments: a `#` after whitespace
    cuts = [i for i in (stripped.find(" #"), stripped.find("\t#")) if i >= 0]
    return stripped[: min(cuts)] if cuts else stripped


def _line_hosts(line: str, found: dict[str, None]) -> None:
    words = _tokens(line)
    if not words:
        return
    for word in words:  # a URL with a scheme counts anywhere in a code line
        if "://" in word:
            host = _url_in(word)
            if host:
                found[host] = None
    # Where a whole value starts: after `key:` / `- key:`, after a lone `=`
    values = words
    if words[0] == "-":
        values = words[1:]
    if values and values[0].endswith(":") and len(values[0]) > 1:
        values = values[1:]
    elif len(values) >= 2 and values[1] == "=":
        values = values[2:]
    # A value is read as a list when every word of it is a URL or a host
    bare = [_bare_host(_value_part(w)) if "://" not in w else None for w in values]
    whole_list = all(h or "://" in w for h, w in zip(bare, values, strict=True))
    previous = ""
    for word, host in zip(values, bare, strict=True):
        if host and (
            "=" in word  # key=value, --flag=value, Host=x;Port=y
            or whole_list  # a whole value or an element of a list
            or (previous.startswith("-") and "=" not in previous)  # `--flag value`
        ):
            found[host] = None
        previous = word


def _value_part(word: str) -> str:
    return word.partition("=")[2] if "=" in word else word


def hosts_in(text: str) -> list[str]:
    """Every hostname in a string (see the module docstring), first occurrence first."""
    found: dict[str, None] = {}
    for line in text.splitlines():
        if "." not in line and "://" not in line:
            continue  # no host without a dot, no URL without a scheme
        code = _code_part(line)
        if code:
            _line_hosts(code, found)
    return list(found)
