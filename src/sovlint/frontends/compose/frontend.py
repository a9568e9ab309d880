"""The Compose frontend behind the common protocol: it claims the files policies/compose.yaml
names; each is read strictly and parsed safely (the manifest loader: no object construction,
bounded aliases, duplicate keys refused). An unreadable or invalid file is SOV001."""

from __future__ import annotations

from pathlib import Path

from sovlint.discovery import Discovery
from sovlint.frontends.base import FrontendBase, Scope, Unit
from sovlint.model import FactSet, ParseFailure


class ComposeFrontend(FrontendBase):
    name = "compose"

    def claims(self, path: Path) -> bool:
        if "compose" not in path.name:
            return False  # every name the data lists has it: no data (nor YAML) loaded for others
        from sovlint.frontends.compose.data import compose_data

        return compose_data().is_compose_file(path)

    def scan(self, disc: Discovery, claimed: list[Path]) -> Unit:
        unit = Unit()
        if not claimed:
            return unit  # no import (nor YAML) for a scan without Compose files
        from sovlint.frontends.compose.data import compose_data
        from sovlint.frontends.compose.services import ComposeError, services
        from sovlint.frontends.kubernetes.nodes import LoadError, load_yaml
        from sovlint.readfile import ReadError, read_text
        from sovlint.suppression import parse_suppressions

        facts = FactSet(unit="compose")
        for path in claimed:
            display = self.display(path)
            unit.files.append(display)
            try:
                text = read_text(path, self.options.max_file_size)
            except ReadError as exc:
                unit.failures.append(ParseFailure(display, exc.line, str(exc)))
                continue
            unit.suppressions[display] = parse_suppressions(display, text)
            try:
                for doc in load_yaml(text):
                    facts.k8s_objects.extend(services(doc.root, display, compose_data()))
            except (LoadError, ComposeError) as exc:
                unit.failures.append(ParseFailure(display, exc.line, str(exc)))
        facts.files = list(unit.files)
        if facts.k8s_objects:
            unit.scopes.append(Scope(facts))
        return unit
