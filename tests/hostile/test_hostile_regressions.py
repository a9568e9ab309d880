"""Every input that once crashed, hung or misjudged sovlint (fixtures/hostile/, see its README)
is replayed through its fuzz target and through the CLI; and each fuzz target runs briefly."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from hostile_util import ROOT, assert_fail_closed_stderr, cli, inproc

sys.path.insert(0, str(ROOT / "fuzz"))

import run as fuzz_run
from targets import TARGETS

HOSTILE = ROOT / "fixtures" / "hostile"
FIXTURES = sorted(p for p in HOSTILE.glob("*/*") if p.is_file())

# fixture -> (exit code, SOV001 reason or None when the file must be read, other rule ids)
EXPECTED: dict[str, tuple[int, str | None, set[str]]] = {
    "tfjson/integer-5000-digits.tf.json": (1, "number too long (5000 digits)", set()),
    "k8s/integer-5000-digits.json": (1, "number too long (5000 digits)", set()),
    "plan/integer-5000-digits.json": (1, "number too long (5000 digits)", set()),
    "hcl/heredoc-marker-trailing-space.tf": (1, None, {"SOV100", "SOV102"}),
    "hcl/nested-calls-300.tf": (1, "nesting too deep to parse", set()),
    "hcl/integer-5000-digits.tf": (1, "number too long", set()),
    "hcl/lone-surrogate-escape.tf": (1, None, {"SOV100", "SOV103"}),
    "config/alias-bomb.yaml": (2, None, set()),
}


def test_every_fixture_has_an_expectation() -> None:
    assert {p.relative_to(HOSTILE).as_posix() for p in FIXTURES} == set(EXPECTED)


@pytest.mark.parametrize(
    "fixture", FIXTURES, ids=[p.relative_to(HOSTILE).as_posix() for p in FIXTURES]
)
def test_fixture_through_its_fuzz_target(fixture: Path) -> None:
    TARGETS[fixture.parent.name](fixture.read_bytes())


@pytest.mark.parametrize(
    "fixture", FIXTURES, ids=[p.relative_to(HOSTILE).as_posix() for p in FIXTURES]
)
def test_fixture_through_the_cli(
    fixture: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rc, reason, rules = EXPECTED[fixture.relative_to(HOSTILE).as_posix()]
    if fixture.parent.name == "config":
        (tmp_path / ".sovlint.yaml").write_bytes(fixture.read_bytes())
        proc = cli(["scan", "."], tmp_path, timeout=60)  # a child: a hang fails, not blocks
        assert proc.returncode == rc
        assert_fail_closed_stderr(proc.stderr)
        assert "aliases expand this document beyond" in proc.stderr
        return
    name = "plan.json" if fixture.parent.name == "plan" else fixture.name
    shutil.copy(fixture, tmp_path / name)
    for fmt in ("sarif", "junit", "github", "gitlab", "text"):
        out = inproc(["scan", ".", "-f", fmt], tmp_path, capsys, monkeypatch)
        assert_fail_closed_stderr(out.err)
        assert out.rc == rc, (fmt, out.err)
    result = inproc(["scan", ".", "-f", "json"], tmp_path, capsys, monkeypatch)
    assert result.rc == rc
    failures = result.sov001()
    if reason is None:
        assert failures == {}
    else:
        assert list(failures) == [name] and reason in failures[name], failures
    assert {f["rule_id"] for f in result.findings() if f["rule_id"] != "SOV001"} == rules


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_fuzz_target_briefly(target: str) -> None:
    """A short, seeded run of the pure-Python engine per target (the suite's budget allows a
    few seconds; `python fuzz/run.py` runs longer, with atheris when installed)."""
    runs, _kept = fuzz_run.run_random(target, seconds=1.0, seed=20261128)
    assert runs > 0
