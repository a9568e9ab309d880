"""Property-based robustness: arbitrary text never makes the config loader raise anything but
ConfigError, nor a scan raise at all; a valid file's findings survive comments, whitespace
and CRLF."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sovlint.config import Config, ConfigError, load_config
from sovlint.engine import ScanResult
from sovlint.rules import REGISTRY
from sovtest import run_scan

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

HCL_TOKENS = [
    'resource "aws_s3_bucket" "b" {', 'provider "aws" {', 'module "m" {', "locals {",
    'terraform {\n  backend "s3" {', "}", "{", "]", "[", "(", ")", "\n", " = ", '"', "${",
    "%{", "<<EOT\n", "\nEOT\n", "<<-EOT\n", 'region = "us-east-1"', "source = ", "./m",
    "var.x", "local.y", "for k, v in x : k => v", "? 1 : 2", "#", "//", "/*", "*/", ",",
    "count = 2", "dynamic", "content", "\\", "\\u00e9", "\\ud800", "\t", "\r", "\x00", "é",
    "1e999", "0x", "-", "!", "...", "null", "true",
]  # fmt: skip
YAML_TOKENS = [
    "apiVersion: v1\n", "kind: Pod\n", "kind: List\n", "items:\n", "metadata:\n", "  name: x\n",
    "spec:\n", "  containers:\n", "  - name: c\n", "    image: docker.io/x\n", "- ", ": ", "&a ",
    "*a", "!!python/object:os.system ", "!custom ", "---\n", "...\n", "{", "}", "[", "]", "'",
    '"', "|\n", ">\n", "? ", "<<: *a\n", "\t", "\n", "  ", "#", "%YAML 1.1\n", "\x00", "é",
]  # fmt: skip


def _scan(files: dict[str, str]) -> ScanResult:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, text in files.items():
            (root / name).write_bytes(text.encode("utf-8", "surrogatepass"))
        return run_scan(root)


def _check_fail_closed(result: ScanResult, names: set[str]) -> None:
    for finding in result.findings:
        assert finding.rule_id in REGISTRY, finding
        if finding.rule_id == "SOV001":
            assert finding.file in names
            assert "\n" not in finding.message and finding.message


def _soup(tokens: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(tokens), st.text(max_size=4)), max_size=40).map(
        "".join
    )


# -- config -------------------------------------------------------------------------------

_KEYS = ["profile", "exclude", "disable", "severity", "fail_on", "allow_countries", "catalog"]
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=8),
    st.sampled_from(["SOV101", "high"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def _load(text: bytes) -> Config:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ".sovlint.yaml"
        path.write_bytes(text)
        return load_config(path, set(REGISTRY))


@SETTINGS
@given(st.one_of(st.text(), st.binary(), _soup(YAML_TOKENS)))
def test_config_arbitrary_text_only_config_errors(text: str | bytes) -> None:
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    try:
        config = _load(data)
    except ConfigError as exc:
        assert exc.line >= 0 and "\n" not in exc.message
        return
    assert isinstance(config, Config)


@SETTINGS
@given(st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=4))
@example({"allow_countries": True})  # (found by this test: a TypeError, not a ConfigError)
def test_config_arbitrary_structure_only_config_errors(data: dict[str, object]) -> None:
    import yaml

    try:
        config = _load(yaml.safe_dump(data).encode())
    except ConfigError:
        return
    assert isinstance(config, Config)


# -- whole scans ----------------------------------------------------------------------------


@SETTINGS
@given(st.one_of(st.text(), _soup(HCL_TOKENS)))
def test_terraform_arbitrary_text_never_raises(text: str) -> None:
    result = _scan({"main.tf": text, "ok.tf": 'variable "v" {}\n'})
    _check_fail_closed(result, {"main.tf", "ok.tf"})


@SETTINGS
@given(
    st.one_of(
        st.text(),
        _soup(
            [
                '{"resource": ',
                '{"aws_s3_bucket": ',
                '{"b": {}}',
                "}",
                "[",
                "]",
                '"',
                ",",
                ":",
                "1",
                "-0.5e9",
                "null",
                "\\ud800",
            ]
        ),
    )
)
def test_terraform_json_arbitrary_text_never_raises(text: str) -> None:
    result = _scan({"main.tf.json": text})
    _check_fail_closed(result, {"main.tf.json"})


@SETTINGS
@given(_soup(YAML_TOKENS))
def test_manifest_arbitrary_text_never_raises(text: str) -> None:
    result = _scan({"m.yaml": "apiVersion: v1\nkind: Pod\n" + text, "n.yaml": text})
    _check_fail_closed(result, {"m.yaml", "n.yaml"})


# -- facts are layout-independent ------------------------------------------------------------

_PROVIDERS = [
    ("aws", "region", ["us-east-1", "eu-west-3", "eu-central-1"]),
    ("scaleway", "zone", ["fr-par-1", "nl-ams-1"]),
    ("hcloud", "location", ["fsn1", "ash"]),
]


@st.composite
def _configuration(draw: st.DrawFn) -> list[str]:
    """Lines of a small valid configuration with known findings."""
    lines = ['provider "aws" {', '  region = "us-east-1"', "}"]  # always some findings
    for name, key, places in draw(st.lists(st.sampled_from(_PROVIDERS), min_size=1, max_size=3)):
        lines += [f'provider "{name}" {{', f'  {key} = "{draw(st.sampled_from(places))}"', "}"]
    for i in range(draw(st.integers(0, 3))):
        lines += [f'resource "aws_s3_bucket" "b{i}" {{', f'  bucket = "x{i}"', "}"]
    return lines


def _keys(result: ScanResult) -> list[tuple[str, str, int]]:
    return sorted((f.rule_id, f.address, f.line) for f in result.findings)


@SETTINGS
@given(
    _configuration(),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.lists(st.sampled_from(["", " ", "\t", "  # c", " // c", " /* c */"]), min_size=1),
)
def test_layout_does_not_change_findings(
    lines: list[str], newline: str, trailers: list[str]
) -> None:
    plain = _keys(_scan({"main.tf": "\n".join(lines) + "\n"}))
    assert plain  # the generated configurations always have findings
    decorated = newline.join(
        line + (trailers[i % len(trailers)] if not line.endswith("{") else "")
        for i, line in enumerate(lines)
    )
    assert _keys(_scan({"main.tf": decorated + newline})) == plain
