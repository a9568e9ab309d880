"""The output-format registry (sovlint.formats) is the one list: dispatch, CLI and docs follow it."""

from __future__ import annotations

import importlib
import re

from sovlint.formats import FORMATS, NAMES, spoken_list
from sovlint.reporters import renderer
from sovtest import ROOT, run_cli


def test_every_registered_format_has_a_renderer() -> None:
    for fmt in FORMATS:
        module = importlib.import_module(f"sovlint.reporters.{fmt.module}")
        assert renderer(fmt.name) is module.render


def test_cli_help_and_error_list_the_registry() -> None:
    help_text = " ".join(run_cli(["scan", "--help"]).stdout.split())
    assert f"Output format: {spoken_list()}." in help_text
    out = run_cli(["scan", str(ROOT / "fixtures" / "terraform"), "-f", "nope"])
    assert out.returncode == 2
    assert f"choose from: {', '.join(NAMES)})" in out.stderr


def test_docs_list_the_registry_in_order() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"--format {'|'.join(NAMES)} " in readme
    ci = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    table = re.findall(r"^\| `([a-z]+)` \|", ci, re.MULTILINE)
    assert tuple(table) == NAMES
