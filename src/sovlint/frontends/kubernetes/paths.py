"""Field paths into a Kubernetes object, as the catalog writes them (policies/kubernetes.yaml).

A path is dot-separated keys from the object's root: `spec.image`, `spec.steps[]` (`[]`: every
item of the list), `spec.**.templates[].container` (`**`: any depth, zero or more levels of
mappings and lists). A key that contains dots or slashes (an annotation) is quoted:
`metadata.annotations."services.k8s.aws/region"`.

Following a path visits each node at most once per step of the path, so the cost is linear in
the size of the object times the (short) length of the path, whatever `**` matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sovlint.frontends.kubernetes.nodes import Mapping, Node, Sequence

ANY_DEPTH = "**"
_STEP = re.compile(r'(?:"(?P<quoted>[^"]+)"|(?P<key>[A-Za-z0-9_$-]+|\*\*))(?P<items>\[\])?')


@dataclass(frozen=True)
class Step:
    key: str  # a mapping key, or ANY_DEPTH
    items: bool = False  # then every item of the list under `key`


@dataclass(frozen=True)
class Found:
    node: Node
    trail: tuple[str, ...]  # keys and list item names walked from the root


def parse_path(text: str) -> tuple[Step, ...]:
    """`spec.**.steps[]` -> steps; ValueError (with the reason) for a malformed path."""
    steps: list[Step] = []
    rest = text.strip()
    while rest:
        m = _STEP.match(rest)
        if m is None:
            raise ValueError(f"malformed path {text!r} at {rest!r}")
        key = m.group("quoted") or m.group("key")
        if key == ANY_DEPTH and m.group("items"):
            raise ValueError(f"malformed path {text!r}: `**` takes no `[]`")
        steps.append(Step(key, bool(m.group("items"))))
        rest = rest[m.end() :]
        if rest.startswith("."):
            rest = rest[1:]
            if not rest:
                raise ValueError(f"malformed path {text!r}: it ends with a dot")
        elif rest:
            raise ValueError(f"malformed path {text!r} at {rest!r}")
    if not steps:
        raise ValueError("an empty path")
    if steps[-1].key == ANY_DEPTH:
        raise ValueError(f"malformed path {text!r}: it cannot end with `**`")
    return tuple(steps)


def item_label(item: Node, index: int) -> str:
    name = item.text("name") if isinstance(item, Mapping) else None
    return name or f"#{index}"


def follow(root: Node, steps: tuple[Step, ...]) -> Iterator[Found]:
    """Every node the path reaches, with the trail of keys and item names that led there."""
    stack: list[tuple[Node, int, tuple[str, ...]]] = [(root, 0, ())]
    seen: set[tuple[int, int]] = set()
    while stack:
        node, index, trail = stack.pop()
        if (id(node), index) in seen:
            continue
        seen.add((id(node), index))
        if index == len(steps):
            yield Found(node, trail)
            continue
        step = steps[index]
        if step.key == ANY_DEPTH:
            stack.append((node, index + 1, trail))  # zero levels
            if isinstance(node, Mapping):
                stack.extend((c, index, (*trail, k)) for k, c in reversed(node.entries.items()))
            elif isinstance(node, Sequence):
                stack.extend(
                    (c, index, (*trail, item_label(c, i)))
                    for i, c in reversed(list(enumerate(node.items)))
                )
            continue
        child = node.get(step.key) if isinstance(node, Mapping) else None
        if child is None:
            continue
        if not step.items:
            stack.append((child, index + 1, (*trail, step.key)))
        elif isinstance(child, Sequence):
            stack.extend(
                (c, index + 1, (*trail, step.key, item_label(c, i)))
                for i, c in reversed(list(enumerate(child.items)))
            )
