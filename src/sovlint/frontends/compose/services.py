"""A parsed Compose document -> one workload object per service: its image and the strings
of the fields policies/compose.yaml lists (environment as a mapping or KEY=VALUE list,
command/entrypoint as a string or list, nested mappings such as logging.options).

Values are taken as written: `${VAR}` interpolation is not resolved, so an image with a
variable is not a literal (unknown, never passed) and a variable in a URL hides no host."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.frontends.compose.data import ComposeData
from sovlint.frontends.kubernetes.nodes import Mapping, Node, Scalar, Sequence
from sovlint.model import ImageRef, K8sObject, Span, ValueRef

API_VERSION = "compose"
KIND = "service"


class ComposeError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _field(service: Mapping, path: str) -> tuple[Node | None, int]:
    """The node at a dotted path inside a service, and the line of its last key."""
    node: Node | None = service
    line = service.line
    for key in path.split("."):
        if not isinstance(node, Mapping):
            return None, line
        line = node.line_of(key)
        node = node.get(key)
    return node, line


def _strings(attribute: str, node: Node, key_line: int) -> Iterator[tuple[str, Scalar, int]]:
    """(attribute, scalar, line) for each string of a field: `environment API_URL`,
    `command[1]`; a `KEY=VALUE` list item is named by its key."""
    if isinstance(node, Scalar):
        yield attribute, node, node.line or key_line
    elif isinstance(node, Mapping):
        for key, value in node.entries.items():
            if isinstance(value, Scalar):
                yield f"{attribute} {key}", value, value.line or node.line_of(key)
    elif isinstance(node, Sequence):
        for index, item in enumerate(node.items):
            if not isinstance(item, Scalar) or item.value is None:
                continue
            if attribute == "environment":
                key, sep, _ = item.value.partition("=")
                if sep:  # KEY alone takes its value from the shell: nothing written here
                    yield f"{attribute} {key}", item, item.line
                continue
            yield f"{attribute}[{index}]", item, item.line


def _value_text(attribute: str, scalar: Scalar) -> str:
    text = scalar.value or ""
    if attribute.startswith("environment ") and "=" in text:
        name = attribute.split(" ", 1)[1]
        if text.startswith(f"{name}="):
            return text[len(name) + 1 :]
    return text


def services(root: Node | None, file: str, data: ComposeData) -> list[K8sObject]:
    """The services of one document (none when it has no `services:`)."""
    if not isinstance(root, Mapping) or root.get("services") is None:
        return []
    section = root.get("services")
    if not isinstance(section, Mapping):
        raise ComposeError("services must be a mapping of service names", root.line_of("services"))
    out = []
    for name, service in section.entries.items():
        line = section.line_of(name)
        address = f"services/{name}"
        obj = K8sObject(
            API_VERSION, KIND, name, None, address, Span(file, line, max(line, service.end_line))
        )
        if isinstance(service, Mapping):
            image = service.get(data.image)
            if isinstance(image, Scalar) and image.value:
                span = Span(file, image.line or service.line_of(data.image))
                obj.images.append((address, ImageRef(name, data.image, image.value, span)))
            for path in data.values:
                node, key_line = _field(service, path)
                for attribute, scalar, at in _strings(path, node, key_line) if node else ():
                    text = _value_text(attribute, scalar)
                    if text:
                        obj.values.append((address, ValueRef(attribute, text, Span(file, at))))
        out.append(obj)
    return out
