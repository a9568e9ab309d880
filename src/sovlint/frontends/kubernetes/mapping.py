"""Map rendered output back to the files a user edits.

Helm: `# Source: CHART/templates/x.yaml` names the template of each document; a rendered line
is matched to the template line with the same text, else with the same key at the same
indentation, when exactly one template line fits; the object's first line otherwise.
Kustomize: the origin annotation names the source file; the source object is found in it and
walked side by side with the rendered one, so every field maps to its own source line.
"""

from __future__ import annotations

import re
from collections import defaultdict

from sovlint.frontends.kubernetes.nodes import Mapping, Node, Scalar, Sequence

_SOURCE = re.compile(r"^# Source: (?P<path>\S.*)$")  # path stripped: no backtracking
_KEY = re.compile(r"^(?P<indent>\s*(?:-\s+)*)(?P<key>[\"']?[A-Za-z0-9_./-]+[\"']?)\s*:(?:\s|$)")


def helm_sources(rendered: str) -> dict[int, str]:
    """Rendered line -> the `# Source:` path of its document section."""
    out: dict[int, str] = {}
    current = ""
    for number, line in enumerate(rendered.split("\n"), start=1):
        if line.startswith("---"):
            current = ""
            continue
        m = _SOURCE.match(line)
        if m:
            current = m.group("path").rstrip()
            continue
        if current:
            out[number] = current
    return out


def _key_of(line: str) -> tuple[int, str] | None:
    m = _KEY.match(line)
    if not m:
        return None
    return len(m.group("indent")), m.group("key").strip("\"'")


class TemplateIndex:
    """Lines of one template, indexed by text and by (indentation, key)."""

    def __init__(self, text: str) -> None:
        self.by_text: dict[str, list[int]] = defaultdict(list)
        self.by_key: dict[tuple[int, str], list[int]] = defaultdict(list)
        for number, line in enumerate(text.split("\n"), start=1):
            stripped = line.strip()
            if not stripped or stripped.startswith("{{"):
                continue
            self.by_text[stripped].append(number)
            key = _key_of(line)
            if key is not None:
                self.by_key[key].append(number)

    def line_for(self, rendered_line: str) -> int | None:
        stripped = rendered_line.strip()
        if not stripped:
            return None
        exact = self.by_text.get(stripped, [])
        if len(exact) == 1:
            return exact[0]
        key = _key_of(rendered_line)
        if key is not None:
            keyed = self.by_key.get(key, [])
            if len(keyed) == 1:
                return keyed[0]
        return None

    def nth(self, rendered_line: str, index: int) -> int | None:
        """The index-th template line with exactly this text (for repeated objects)."""
        exact = self.by_text.get(rendered_line.strip(), [])
        if not exact:
            return None
        return exact[min(index, len(exact) - 1)]


def helm_line_map(
    rendered_lines: list[str], start: int, end: int, template: TemplateIndex, nth: int
) -> tuple[dict[int, int], int]:
    """(rendered line -> template line, default template line) for one rendered object."""
    lines: dict[int, int] = {}
    for number in range(start, end + 1):
        if 0 < number <= len(rendered_lines):
            found = template.line_for(rendered_lines[number - 1])
            if found is not None:
                lines[number] = found
    default = 0
    if 0 < start <= len(rendered_lines):
        default = template.nth(rendered_lines[start - 1], nth) or 0
    if not default:
        default = lines.get(start, 1)
    lines[start] = default
    return lines, default


def origin_path(annotations: Mapping | None) -> str | None:
    """The source path in a kustomize origin annotation (`path:`, or `configuredIn:` for
    generated objects); None for remote or missing origins."""
    if annotations is None:
        return None
    value = annotations.text("config.kubernetes.io/origin")
    if not value:
        return None
    fields: dict[str, str] = {}
    for line in value.split("\n"):
        key, sep, rest = line.partition(":")
        if sep and not line.startswith(" "):
            fields[key.strip()] = rest.strip()
    if fields.get("repo"):
        return None
    return fields.get("path") or fields.get("configuredIn") or None


def pair_lines(rendered: Node, source: Node, leaves_only: bool = False) -> dict[int, int]:
    """Rendered line -> source line, walking both trees side by side (list items by `name`).

    Key and scalar lines win over the first line of a mapping: kustomize sorts keys, so a
    rendered mapping may start with another key than its source. `leaves_only` keeps only
    scalar values and their keys (what a patch sets), outside apiVersion, kind and metadata.
    """
    strong: dict[int, int] = {}
    weak: dict[int, int] = {}
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Node, Node]] = [(rendered, source)]
    while stack:
        r, s = stack.pop()
        if (id(r), id(s)) in seen:
            continue
        seen.add((id(r), id(s)))
        if isinstance(r, Scalar) or isinstance(s, Scalar):
            strong.setdefault(r.line, s.line)
            continue
        weak.setdefault(r.line, s.line)
        if isinstance(r, Mapping) and isinstance(s, Mapping):
            for key, child in r.entries.items():
                partner = s.entries.get(key)
                if partner is None:
                    continue
                if leaves_only and r is rendered and key in ("apiVersion", "kind", "metadata"):
                    continue
                if not leaves_only or isinstance(partner, Scalar):
                    strong.setdefault(r.line_of(key), s.line_of(key))
                stack.append((child, partner))
        elif isinstance(r, Sequence) and isinstance(s, Sequence):
            named = {
                item.text("name"): item
                for item in s.items
                if isinstance(item, Mapping) and item.text("name")
            }
            for index, item in enumerate(r.items):
                name = item.text("name") if isinstance(item, Mapping) else None
                match: Node | None = named.get(name) if name else None
                if match is None and index < len(s.items):
                    match = s.items[index]
                if match is not None:
                    stack.append((item, match))
    return strong if leaves_only else {**weak, **strong}
