"""Rules declare the facts they judge (RuleMeta.reads) and the frontends they apply to
(RuleMeta.frameworks); the engine skips a rule where those facts are empty. Checked here on
every fixture: a rule reads nothing it did not declare, and finds nothing without it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sovlint.frontends.registry import FRONTENDS
from sovlint.model import FactSet, Finding
from sovlint.rules import REGISTRY, RegisteredRule
from sovlint.rules.base import Context
from sovtest import FIXTURES, run_scan

FIELDS = {f.name for f in dataclasses.fields(FactSet)}
NAMING = {"unit", "files"}  # what identifies the facts, not facts themselves
FRONTEND_NAMES = {entry.rsplit(":", 1)[0].split(".")[-2] for entry in FRONTENDS}


class Recorder:
    """FactSet stand-in that records which fields a rule reads."""

    def __init__(self, facts: FactSet) -> None:
        self._facts = facts
        self.read: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        self.read.add(name)
        return getattr(self._facts, name)


def _cases() -> list[Path]:
    return sorted(p.parent for p in FIXTURES.rglob("expected.yaml"))


@pytest.fixture(scope="module")
def observed() -> tuple[dict[str, set[str]], list[FactSet]]:
    """Scan every fixture with each rule wrapped: the fields each read, and the facts seen."""
    reads: dict[str, set[str]] = {rule_id: set() for rule_id in REGISTRY}
    seen: list[FactSet] = []
    original = dict(REGISTRY)

    def wrap(rule_id: str, rule: RegisteredRule) -> RegisteredRule:
        assert rule.check is not None
        check = rule.check

        def recorded(facts: FactSet, ctx: Context) -> Iterator[Finding]:
            if not seen or seen[-1] is not facts:
                seen.append(facts)
            recorder = Recorder(facts)
            yield from check(recorder, ctx)  # type: ignore[arg-type]
            reads[rule_id] |= recorder.read

        return RegisteredRule(rule.meta, recorded)

    try:
        for rule_id, rule in original.items():
            if rule.check is not None:
                REGISTRY[rule_id] = wrap(rule_id, rule)
        for case in _cases():
            run_scan(case)
    finally:
        REGISTRY.update(original)
    return reads, seen


def test_every_rule_declares_real_fields_and_frontends() -> None:
    for rule_id, rule in REGISTRY.items():
        if rule.check is None:
            continue  # produced by the engine itself (SOV003)
        assert rule.meta.reads, f"{rule_id} declares no facts (RuleMeta.reads)"
        assert set(rule.meta.reads) <= FIELDS - NAMING, rule_id
        assert set(rule.meta.frameworks) <= FRONTEND_NAMES, rule_id


def test_rules_read_only_what_they_declare(
    observed: tuple[dict[str, set[str]], list[FactSet]],
) -> None:
    reads, _ = observed
    for rule_id, fields in reads.items():
        declared = set(REGISTRY[rule_id].meta.reads)
        allowed = declared | NAMING
        if "resources" in declared:  # a resource's provider configuration is its context
            allowed |= {"providers", "inherited_providers"}
        assert fields <= allowed, f"{rule_id} reads {sorted(fields - allowed)} undeclared"


def test_a_rule_finds_nothing_without_its_facts(
    observed: tuple[dict[str, set[str]], list[FactSet]],
) -> None:
    from sovlint.profiles import load_profile
    from sovtest import catalog

    _, seen = observed
    assert len(seen) > 20
    ctx = Context(catalog(), load_profile("sovereign-eu", catalog()))
    for facts in seen:
        for rule_id, rule in REGISTRY.items():
            if rule.check is None:
                continue
            emptied = dataclasses.replace(
                facts, **{name: type(getattr(facts, name))() for name in rule.meta.reads}
            )
            assert list(rule.check(emptied, ctx)) == [], rule_id
