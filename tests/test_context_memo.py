"""Cases several rules read are derived once per set of facts (`Context.per_facts`): the
location cases for SOV102, SOV103 and SOV104, each workload object's cases for SOV103,
SOV104 and the inventory. What is derived for one set of facts is never given for another,
even an equal one, and the findings are those of deriving them for every rule (the snapshot
and fixture tests, and bench/identity.py, hold the outputs)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sovlint.model import FactSet
from sovlint.profiles import load_profile
from sovlint.rules import locations
from sovlint.rules.base import Context
from sovtest import FIXTURES, catalog, run_scan


def test_per_facts_computes_once_for_the_same_facts_only() -> None:
    cat = catalog()
    ctx = Context(cat, load_profile("sovereign-eu", cat))
    calls: list[str] = []

    def compute(tag: str) -> list[str]:
        calls.append(tag)
        return [tag]

    first, equal = FactSet(unit="m"), FactSet(unit="m")
    assert ctx.per_facts(first, "k", lambda: compute("a")) == ["a"]
    assert ctx.per_facts(first, "k", lambda: compute("b")) == ["a"]  # the same facts: kept
    assert ctx.per_facts(first, "other", lambda: compute("c")) == ["c"]  # another key
    assert ctx.per_facts(equal, "k", lambda: compute("d")) == ["d"]  # equal is not the same
    assert ctx.per_facts(first, "k", lambda: compute("e")) == ["e"]  # only the last facts kept
    assert calls == ["a", "c", "d", "e"]


def test_location_cases_are_derived_once_per_module(monkeypatch: pytest.MonkeyPatch) -> None:
    derived: Counter[str] = Counter()
    real = locations._location_cases

    def counting(facts: object, ctx: Context) -> object:
        derived[getattr(facts, "unit", "?")] += 1
        return real(facts, ctx)  # type: ignore[arg-type]

    monkeypatch.setattr(locations, "_location_cases", counting)
    result = run_scan(FIXTURES / "terraform" / "backend-config-us")
    assert {f.rule_id for f in result.findings} & {"SOV102", "SOV103", "SOV104"}
    assert derived and set(derived.values()) == {1}  # three rules, one derivation per module


def test_object_cases_are_derived_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from sovlint import workload_inventory

    derived: Counter[int] = Counter()
    real = workload_inventory.cases

    def counting(ctx: Context, obj: object) -> object:
        derived[id(obj)] += 1
        return real(ctx, obj)  # type: ignore[arg-type]

    monkeypatch.setattr(workload_inventory, "cases", counting)
    tree: Path = FIXTURES / "kubernetes" / "multi-doc"
    result = run_scan(tree)
    assert result.inventory and derived
    assert set(derived.values()) == {1}  # SOV103, SOV104 and the inventory: one derivation
