"""Scanned content cannot forge CI workflow commands or terminal escapes in any text-like format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sovlint.reporters.github import escape_data, escape_property
from sovlint.reporters.safe import escape_controls, no_command_start
from sovtest import run_cli

TF = 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'
FORGED = "::error title=forged::PWNED.tf"
ESCAPES = "\x1b]8;;https:evil.example\x07\x1b[2J\x9b31m\u202e"
POD = (
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata:\n"
    '  name: "p\\e[31m\\u009b2J"\n'
    "spec:\n"
    "  containers:\n"
    "  - name: c\n"
    '    image: "docker.io/library/nginx:1.27"\n'
    "    env:\n"
    "    - name: URL\n"
    '      value: "https://api.openai.com/\\e]0;owned\\a"\n'
)
RAW_CONTROLS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))]


@pytest.fixture
def hostile_tree(tmp_path: Path) -> Path:
    (tmp_path / FORGED).write_text(TF)
    (tmp_path / f"x{ESCAPES}.tf").write_text(TF)
    (tmp_path / "pod.yaml").write_text(POD)
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "github", "gitlab"])
def test_no_raw_control_character_reaches_the_output(hostile_tree: Path, fmt: str) -> None:
    proc = run_cli(["scan", ".", "-f", fmt, "--no-cache"], cwd=hostile_tree)
    assert proc.returncode == 1, proc.stderr
    assert "PWNED" in proc.stdout and "openai" in proc.stdout  # the findings are there
    for ch in [*RAW_CONTROLS, "\u202e"]:
        assert ch not in proc.stdout, repr(ch)
    if fmt == "gitlab":
        json.loads(proc.stdout)  # still valid JSON, same data


def test_text_lines_never_start_a_workflow_command(hostile_tree: Path) -> None:
    proc = run_cli(["scan", ".", "-f", "text", "--no-cache"], cwd=hostile_tree)
    lines = proc.stdout.splitlines()
    assert not [line for line in lines if line.lstrip().startswith("::")]
    assert not [line for line in lines if "##[" in line]
    assert any(line.startswith("\\x3a:error title=forged::PWNED.tf:1:1: SOV101") for line in lines)


def test_github_annotations_are_the_only_commands(hostile_tree: Path) -> None:
    proc = run_cli(["scan", ".", "-f", "github", "--no-cache"], cwd=hostile_tree)
    commands = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    assert commands and all(line.startswith(("::error ", "::warning ")) for line in commands)
    forged = [line for line in commands if "PWNED" in line]
    assert forged and all("file=%3A%3Aerror title=forged%3A%3APWNED.tf," in line for line in forged)


def test_github_escaping_rules() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert escape_data("\x1b[31m##[error]x") == "\\x1b[31m##\\x5berror]x"


def test_helpers() -> None:
    assert escape_controls("a\tb\u2066c") == "a\\x09b\\u2066c"
    assert no_command_start("  ::warning::x") == "  \\x3a:warning::x"
    assert no_command_start("a ::b") == "a ::b"
