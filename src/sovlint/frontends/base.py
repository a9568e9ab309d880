"""The shape every frontend has: what it claims, and the unit of facts it hands the engine.

A frontend is constructed once per scan with the scan's `Session`. The engine offers it each
discovered file no earlier frontend claimed (`claims`), then calls `scan` with those files and
the discovery (Terraform also scans `disc.modules`). The frontend reads and parses; it never
judges: the engine runs the rules on every `Scope` of the returned `Unit`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sovlint.model import FactSet, ParseFailure
from sovlint.suppression import Suppression

if TYPE_CHECKING:
    from sovlint.discovery import Discovery
    from sovlint.engine import ScanOptions
    from sovlint.model import Finding, InventoryItem
    from sovlint.results import Judged


@dataclass
class Session:
    """What a frontend may use: the scan's options and how to name a file in the report."""

    options: ScanOptions
    display: Callable[[Path], str]


@dataclass
class Scope:
    """One set of facts judged together (a Terraform root module with its children, a plan,
    every Kubernetes object). `only`: report just the findings in these files (a pre-commit
    run naming changed files), None for all."""

    facts: FactSet
    only: frozenset[str] | None = None
    caller: str | None = None  # a called module's facts: the root module they were evaluated for
    cached: Judged | None = None  # already judged (the result cache): `facts` is empty
    on_judged: Callable[[list[Finding], list[InventoryItem]], None] | None = None  # (to cache it)


@dataclass
class Unit:
    """What a frontend scanned: facts to judge, files read, suppression comments by file, and
    read/parse failures (SOV001, judged with the scan's other failures)."""

    scopes: list[Scope] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    suppressions: dict[str, list[Suppression]] = field(default_factory=dict)
    failures: list[ParseFailure] = field(default_factory=list)


class Frontend(Protocol):
    name: str

    def claims(self, path: Path) -> bool:
        """Whether this frontend scans a discovered file that no earlier frontend claimed."""
        ...

    def scan(self, disc: Discovery, claimed: list[Path]) -> Unit:
        """Read and parse `claimed` (and, for Terraform, `disc.modules`) into a unit."""
        ...


class FrontendBase:
    """What frontends share: the session's options and how to name a file."""

    name = ""

    def __init__(self, session: Session) -> None:
        self.options = session.options
        self.display = session.display


FrontendFactory = Callable[[Session], Frontend]
