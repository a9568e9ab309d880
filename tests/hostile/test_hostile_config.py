"""Bad configuration is one line naming the file and line, exit 2; a suppression naming an
unknown rule is a SOV003 finding (a typo must not silently disable a check)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hostile_util import K8S_POD, assert_fail_closed_stderr, cli, inproc

CLEAN_TF = 'resource "scaleway_instance_server" "s" {\n  zone = "fr-par-1"\n  type = "DEV1-S"\n}\n'


def _bomb() -> str:
    lines = ['a0: &a0 ["x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    return "\n".join(lines) + "\nexclude: *a8\n"


CONFIGS = [
    ("unclosed-flow", b"profile: [sovereign-eu\n", 2, "invalid YAML"),
    ("tab-indent", b"exclude:\n\t- x\n", 2, "invalid YAML"),
    ("invalid-utf8", b"profile: caf\xc3\x28\n", 1, "not valid UTF-8"),
    ("nul-byte", b"profile: x\x00\n", 1, "binary content"),
    ("not-a-mapping", b"- profile\n- exclude\n", 1, "must be a mapping"),
    ("unknown-key", b"fail_on: low\nprofil: sovereign-eu\n", 2, "unknown key 'profil'"),
    (
        "unknown-profile",
        b"fail_on: low\nprofile: sovereign-mars\n",
        2,
        "unknown profile 'sovereign-mars'",
    ),
    (
        "unknown-rule-in-disable",
        b"fail_on: low\ndisable: [SOV101, SOV999]\n",
        2,
        "unknown rule id 'SOV999'",
    ),
    (
        "unknown-rule-in-severity",
        b"severity:\n  SOV101: high\n  SOV998: low\n",
        3,
        "unknown rule id 'SOV998'",
    ),
    ("bad-severity", b"fail_on: extreme\n", 1, "unknown severity 'extreme'"),
    ("recursive-alias", b"exclude: &a [*a]\n", 1, ""),
    ("alias-bomb", _bomb().encode(), 0, ""),
    (
        "missing-catalog",
        b"catalog: [nowhere.yaml]\n",
        1,
        "nowhere.yaml not found",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [c[1:] for c in CONFIGS],
    ids=[c[0] for c in CONFIGS],
)
def test_bad_config_is_one_line_with_file_and_line(
    text: bytes,
    line: int,
    words: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / ".sovlint.yaml").write_bytes(text)
    (tmp_path / "main.tf").write_text(CLEAN_TF)
    result = inproc(["scan", "."], tmp_path, capsys, monkeypatch)
    assert result.rc == 2, result.err
    assert_fail_closed_stderr(result.err)
    assert result.out == ""
    assert words in result.err
    match = re.match(r"sovlint: error: (.+?):(\d+): ", result.err)
    assert match is not None, result.err
    assert match.group(1) == str(tmp_path / ".sovlint.yaml")
    if line:
        assert int(match.group(2)) == line


def test_unknown_profile_option_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "main.tf").write_text(CLEAN_TF)
    result = inproc(["scan", ".", "--profile", "sovereign-mars"], tmp_path, capsys, monkeypatch)
    assert result.rc == 2
    assert result.err == (
        "sovlint: error: --profile: unknown profile 'sovereign-mars' "
        "(available: residency-eu, secnumcloud, sovereign-eu)\n"
    )


def test_catalog_fifo_in_config_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "extra.yaml")
    (tmp_path / ".sovlint.yaml").write_text("catalog: [extra.yaml]\n")
    (tmp_path / "main.tf").write_text(CLEAN_TF)
    proc = cli(["scan", "."], tmp_path, timeout=60)
    assert proc.returncode == 2
    assert_fail_closed_stderr(proc.stderr)
    assert proc.stderr == f"sovlint: error: {tmp_path / 'extra.yaml'}:1: not a regular file\n"


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        (
            "main.tf",
            'resource "aws_s3_bucket" "b" {\n  # sovlint:ignore SOV999 -- a typo of SOV101\n'
            '  bucket = "x"\n}\n',
            2,
        ),
        (
            "pod.yaml",
            K8S_POD.replace(
                "  name: p\n",
                '  name: p\n  annotations:\n    sovlint.io/ignore: "SOV2OO -- typo"\n',
            ),
            6,
        ),
    ],
    ids=["terraform-comment", "kubernetes-annotation"],
)
def test_suppression_naming_an_unknown_rule_is_sov003(
    name: str, text: str, line: int, tmp_path: Path
) -> None:
    """The suppression does not apply (the real finding stays) and SOV003 says why."""
    (tmp_path / name).write_text(text)
    proc = cli(["scan", ".", "-f", "text"], tmp_path)
    assert_fail_closed_stderr(proc.stderr)
    assert proc.returncode == 1
    sov003 = [ln for ln in proc.stdout.splitlines() if " SOV003 " in ln]
    assert len(sov003) == 1, proc.stdout
    assert sov003[0].startswith(f"{name}:{line}:1: SOV003 [low]")
    assert "unknown rule id" in sov003[0]
    assert any(" SOV101 " in ln or " SOV200 " in ln for ln in proc.stdout.splitlines())
