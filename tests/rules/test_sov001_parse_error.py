from __future__ import annotations

from pathlib import Path

from sovlint.engine import exit_code
from sovlint.model import Severity
from sovtest import FIXTURES, assert_case, run_scan


def test_broken_file_next_to_valid_one() -> None:
    result = assert_case(FIXTURES / "terraform" / "sov001-broken-next-to-valid", "sovereign-eu")
    sov001 = [f for f in result.findings if f.rule_id == "SOV001"]
    assert len(sov001) == 1
    assert sov001[0].severity is Severity.HIGH
    assert "invalid HCL" in sov001[0].message


def test_parse_error_fails_whatever_the_threshold(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("resource {")
    result = run_scan(tmp_path)
    assert [f.rule_id for f in result.findings] == ["SOV001"]
    assert exit_code(result.findings, Severity.HIGH) == 1


def test_unreadable_encoding_and_json(tmp_path: Path) -> None:
    (tmp_path / "latin1.tf").write_bytes(b'locals {\n  x = "caf\xe9"\n}\n')
    (tmp_path / "bad.tf.json").write_text('{\n  "resource": {\n    "a": [1,]\n  }\n}\n')
    lines = {(f.file, f.line) for f in run_scan(tmp_path).findings if f.rule_id == "SOV001"}
    assert lines == {("latin1.tf", 2), ("bad.tf.json", 3)}


def test_parse_error_cannot_be_suppressed_or_disabled(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("# sovlint:ignore SOV001 -- try\nresource {\n")
    result = run_scan(tmp_path, disabled=frozenset({"SOV001"}))
    sov001 = [f for f in result.findings if f.rule_id == "SOV001"]
    assert len(sov001) == 1 and not sov001[0].suppressed
