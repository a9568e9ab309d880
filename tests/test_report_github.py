"""GitHub Actions workflow commands: `::error file=...,line=...,title=...::message`, escaped."""

from __future__ import annotations

import re
from pathlib import Path

from reporthelp import AWS_BUCKET, finding, report_for, report_of, sovlint
from sovlint.model import Severity
from sovlint.reporters.github import escape_data, escape_property, render
from sovtest import FIXTURES

TF = FIXTURES / "terraform"
COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def unescape(text: str, prop: bool) -> str:
    """What the Actions runner does to command values (see actions/toolkit command.ts)."""
    if prop:
        text = text.replace("%3A", ":").replace("%2C", ",")
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def commands(text: str) -> list[tuple[str, dict[str, str], str]]:
    out = []
    for line in text.splitlines():
        m = COMMAND.match(line)
        if m is None:
            assert not line.startswith("::"), line
            continue
        props = {}
        for item in m.group(2).split(","):
            key, _, value = item.partition("=")
            props[key] = unescape(value, prop=True)
        out.append((m.group(1), props, unescape(m.group(3), prop=False)))
    return out


def test_escaping() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    hostile = "x%0A::set-output name=y::z,\n::error::injected"
    assert unescape(escape_data(hostile), prop=False) == hostile
    assert unescape(escape_property(hostile), prop=True) == hostile


def test_annotations_for_a_scan(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(AWS_BUCKET)
    out = render(report_for(tmp_path))
    cmds = commands(out)
    assert [(level, props["file"], props["line"], props["title"]) for level, props, _ in cmds] == [
        ("error", "main.tf", "1", "SOV100 provider-not-sovereign"),
        ("error", "main.tf", "5", "SOV101 resource-not-sovereign"),
    ]
    assert cmds[1][1]["endLine"] == "7"
    assert cmds[1][2].startswith("aws_s3_bucket.this: resource aws_s3_bucket.this is operated by")
    assert "\nfix: " in cmds[1][2]
    assert out.splitlines()[-1].endswith("1 file, 2 findings (2 high)")


def test_levels_and_suppressed_findings() -> None:
    report = report_for(TF / "suppression")
    cmds = commands(render(report))
    active = [f for f in report.result.findings if not f.suppressed]
    assert len(cmds) == len(active) == 4
    level = {"SOV101": "error", "SOV003": "warning"}
    assert [c[0] for c in cmds] == [level[f.rule_id] for f in active]
    medium = report_for(TF / "sov103-unknown-region")
    assert [c[0] for c in commands(render(medium))] == ["warning"]


def test_hostile_text_cannot_break_out(tmp_path: Path) -> None:
    message = "evil\n::error file=x.tf::forged annotation\r\n100%"
    path = "dir,with:odd%name/main.tf"
    report = report_of(
        [finding(file=path, message=message, address="a.b", severity=Severity.INFO)],
        [path],
        tmp_path,
    )
    out = render(report)
    lines = out.splitlines()
    assert len(lines) == 2  # one annotation and the summary, nothing forged
    ((level, props, text),) = commands(out)
    assert level == "notice"
    assert props["file"] == path
    assert text.startswith("a.b: " + message)


def test_cli_github_format() -> None:
    proc = sovlint(["scan", ".", "--format", "github"], TF / "sov102-hetzner-ash")
    assert proc.returncode == 1, proc.stderr
    ((level, props, text),) = commands(proc.stdout)
    assert level == "error"
    assert props["title"] == "SOV102 location-not-allowed"
    assert props["file"].endswith("main.tf") and props["line"] == "20"
    assert text.startswith("hcloud_server.us: ")
