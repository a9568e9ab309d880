"""Hostnames in strings: URLs, host[:port], connection strings. Standard library only."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]+")


def host_of(value: str) -> str | None:
    """The hostname of a URL or of a bare host[:port] string, else None."""
    text = value.strip()
    if "://" in text:
        try:
            host = urlsplit(text).hostname
        except ValueError:
            return None
        return host.lower() if host else None
    candidate = text.split("/", 1)[0].split(":", 1)[0].lower()
    if (
        "." in candidate
        and all(part for part in candidate.split("."))
        and all(c.isalnum() or c in "-." for c in candidate)
        and any(c.isalpha() for c in candidate.rsplit(".", 1)[-1])
    ):
        return candidate
    return None


def hosts_in(text: str) -> list[str]:
    """Every hostname in a string: URLs anywhere in it, or the whole string as a host."""
    found = [h for h in (host_of(m.group(0)) for m in _URL_IN_TEXT.finditer(text)) if h]
    if not found:
        whole = host_of(text)
        if whole and " " not in text.strip():
            found.append(whole)
    for m in re.finditer(r"\bhost=([A-Za-z0-9.-]+)", text):
        found.append(m.group(1).lower())
    return list(dict.fromkeys(found))
