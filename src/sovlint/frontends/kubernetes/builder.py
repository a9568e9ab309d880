"""The state of one Kubernetes scan: the FactSet being built, the files read, their
suppressions (comments and `sovlint.io/ignore` annotations), and reading files fail-closed."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sovlint.frontends.kubernetes.nodes import Document, Mapping
from sovlint.frontends.kubernetes.objects import LineMap, build_object, object_roots
from sovlint.frontends.kubernetes.stream import looks_like_manifest, parse_stream
from sovlint.model import FactSet, K8sObject, ParseFailure
from sovlint.readfile import DEFAULT_MAX_FILE_SIZE, ReadError, read_text
from sovlint.suppression import Suppression, parse_suppressions

if TYPE_CHECKING:
    from sovlint.catalog.model import KubeCatalog

_PEEK = 64 * 1024


@dataclass
class KubeOptions:
    display: Callable[[Path], str]
    render: frozenset[str] = frozenset()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    stdin: str | None = None
    kube: KubeCatalog | None = None  # the catalog's Kubernetes entries (None: the bundled ones)


@dataclass
class KubeUnit:
    facts: FactSet
    files: list[str] = field(default_factory=list)
    suppressions: dict[str, list[Suppression]] = field(default_factory=dict)


def annotation_suppression(obj: K8sObject) -> Suppression | None:
    """`sovlint.io/ignore: "SOV200,SOV202 until=2027-01-31 -- reason"` as a suppression that
    covers every finding of the object (their block line is the object's first line)."""
    if obj.ignore is None:
        return None
    value = obj.ignore.value.strip().removeprefix("sovlint:ignore")
    parsed = parse_suppressions(obj.span.file, f"# sovlint:ignore {value}")
    if not parsed:  # pragma: no cover - the comment above always parses to one entry
        return None
    return dataclasses.replace(
        parsed[0], comment_line=obj.ignore.span.line, target_line=obj.span.line
    )


class Builder:
    """What a Kubernetes scan has read so far: its facts, files and suppressions."""

    def __init__(self, options: KubeOptions) -> None:
        self.options = options
        self.unit = KubeUnit(FactSet(unit="kubernetes"))
        self.parsed: dict[Path, list[Document]] = {}
        self.sources: dict[Path, str | None] = {}  # template and kustomize source texts

    @property
    def facts(self) -> FactSet:
        return self.unit.facts

    def display(self, path: Path) -> str:
        return self.options.display(path)

    def fail(self, file: str, line: int, message: str) -> None:
        self.facts.failures.append(ParseFailure(file, line, message))
        self.touch(file)

    def touch(self, file: str, text: str | None = None) -> None:
        if file not in self.unit.files:
            self.unit.files.append(file)
        if text is not None and file not in self.unit.suppressions:
            self.unit.suppressions[file] = parse_suppressions(file, text)

    def add(self, obj: K8sObject, text: str | None) -> None:
        self.facts.k8s_objects.append(obj)
        self.touch(obj.span.file, text)
        sup = annotation_suppression(obj)
        if sup is not None:
            self.unit.suppressions.setdefault(obj.span.file, []).append(sup)

    # -- reading -------------------------------------------------------------------------
    def read(self, path: Path) -> str | None:
        """The file's text, or None when it is not a manifest (or is SOV001, recorded)."""
        display = self.display(path)
        try:
            text = read_text(path, self.options.max_file_size)
        except ReadError as exc:
            if _peek_is_manifest(path):
                self.fail(display, exc.line, str(exc))
            return None
        return text if looks_like_manifest(text) else None

    def scan_text(self, text: str, display: str, as_json: bool) -> None:
        docs, error = parse_stream(text, as_json)
        if error is not None:
            self.fail(display, error.line, str(error))
            self.touch(display, text)
        lines = LineMap(display)
        for doc in docs:
            for root, api, kind in object_roots(doc.root):
                self.add(build_object(root, api, kind, lines, self.options.kube), text)

    def scan_file(self, path: Path) -> None:
        text = self.read(path)
        if text is None:
            return
        self.scan_text(text, self.display(path), path.suffix.lower() == ".json")

    def source_text(self, path: Path) -> str | None:
        if path not in self.sources:
            self.sources[path] = _read_quiet(path)
        return self.sources[path]

    def read_any(self, path: Path) -> str | None:
        try:
            return read_text(path, self.options.max_file_size)
        except ReadError:
            return None

    def source_objects(self, source: Path, kind: str) -> list[Mapping]:
        text = self.source_text(source)
        if text is None:
            return []
        if source not in self.parsed:
            self.parsed[source] = parse_stream(text, source.suffix.lower() == ".json")[0]
        return [
            r for doc in self.parsed[source] for r, _api, k in object_roots(doc.root) if k == kind
        ]


def _read_quiet(path: Path) -> str | None:
    try:
        return read_text(path)
    except ReadError:
        return None


def _peek_is_manifest(path: Path) -> bool:
    """For a file that cannot be read as text: does its start mention apiVersion and kind?

    A file that cannot be opened, or is not a regular file (FIFO, socket, broken link), cannot
    be told apart from a manifest: it counts as one (SOV001), failing closed, not silently."""
    try:
        if not os.path.isfile(path):
            return True
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            head = fh.read(_PEEK)
    except OSError:
        return True
    return b"apiVersion" in head and b"kind" in head
