"""Hostile file contents, through the CLI's entry point: every case states its outcome.

An outcome is either real findings (the file was read correctly) or SOV001 on the file with
a one-line reason, and the documented exit code (1 when anything is found, SOV001 included).
Never an internal error, a traceback or a hang.
"""

from __future__ import annotations

import codecs
import random
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hostile_util import (
    K8S_POD,
    K8S_POD_RULES,
    TF_AWS_US,
    TF_AWS_US_RULES,
    Outcome,
    json_scan,
)

TF = TF_AWS_US.encode()
K8S = K8S_POD.encode()
MIB = 1024 * 1024
DEEP = 10_000


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, bytes]
    # file -> (line, words the one-line reason must contain); line 0: any line
    sov001: dict[str, tuple[int, str]] = field(default_factory=dict)
    rules: frozenset[tuple[str, int]] = frozenset()  # every other finding, exactly
    rc: int = 1
    args: tuple[str, ...] = ()


def _deep_hcl(opening: str, closing: str) -> bytes:
    return f"locals {{\n  x = {opening * DEEP}1{closing * DEEP}\n}}\n".encode()


def _alias_bomb() -> bytes:
    lines = ['  l0: &l0 ["lol"]']
    lines += [f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]
    return (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n" + "\n".join(lines)
    ).encode()


CASES = [
    # -- encodings and bytes ----------------------------------------------------------------
    Case("tf-binary", {"main.tf": bytes(range(256)) * 8}, {"main.tf": (2, "not valid UTF-8")}),
    Case(
        "tf-random-bytes",
        {"main.tf": random.Random(8).randbytes(4096)},
        {"main.tf": (0, "")},  # invalid UTF-8 or a NUL byte, whichever comes first
    ),
    Case(
        "tf-invalid-utf8-line-7",
        {"main.tf": TF + b"# caf\xe9\n"},
        {"main.tf": (7, "not valid UTF-8")},
    ),
    Case("tf-nul-byte", {"main.tf": TF + b"\x00\n"}, {"main.tf": (7, "binary content (NUL byte)")}),
    Case(
        "tf-utf16-le-bom",
        {"main.tf": codecs.BOM_UTF16_LE + TF_AWS_US.encode("utf-16-le")},
        rules=frozenset(TF_AWS_US_RULES),
    ),
    Case(
        "tf-utf16-be-bom",
        {"main.tf": codecs.BOM_UTF16_BE + TF_AWS_US.encode("utf-16-be")},
        rules=frozenset(TF_AWS_US_RULES),
    ),
    Case(
        "tf-utf16-without-bom",
        {"main.tf": TF_AWS_US.encode("utf-16-le")},
        {"main.tf": (1, "binary content (NUL byte)")},
    ),
    Case("tf-utf8-bom", {"main.tf": codecs.BOM_UTF8 + TF}, rules=frozenset(TF_AWS_US_RULES)),
    Case("tf-crlf", {"main.tf": TF.replace(b"\n", b"\r\n")}, rules=frozenset(TF_AWS_US_RULES)),
    Case("tf-lone-cr", {"main.tf": TF.replace(b"\n", b"\r")}, rules=frozenset(TF_AWS_US_RULES)),
    Case(
        "tf-mixed-newlines",
        {
            "main.tf": b'provider "aws" {\r\n  region = "us-east-1"\r}\nresource "aws_s3_bucket" "b" {\r\n  bucket = "x"\n}\r'
        },
        rules=frozenset(TF_AWS_US_RULES),
    ),
    Case("tf-empty", {"main.tf": b""}, rc=0),
    Case("tf-only-comments", {"main.tf": b"# a\n// b\n/* c\n*/\n"}, rc=0),
    Case(
        "tf-truncated",
        {"main.tf": TF[:-3]},
        {"main.tf": (0, "unexpected end of file")},
    ),
    Case(
        "tf-heredoc-marker-trailing-spaces",  # Terraform accepts it; python-hcl2#343 did not
        {"main.tf": b"locals {\n  p = <<EOT\nbody\nEOT  \n}\n" + TF},
        rules=frozenset((rule, line + 5) for rule, line in TF_AWS_US_RULES),
    ),
    Case(
        "tf-integer-of-5000-digits",
        {"main.tf": b"locals {\n  x = " + b"7" * 5000 + b"\n}\n"},
        {"main.tf": (1, "number too long")},
    ),
    Case(
        "tf-json-integer-of-5000-digits",
        {"main.tf.json": b'{"locals": {"x": ' + b"7" * 5000 + b"}}"},
        {"main.tf.json": (1, "number too long")},
    ),
    # -- nesting: SOV001, never RecursionError ---------------------------------------------
    Case("tf-deep-lists", {"main.tf": _deep_hcl("[", "]")}, {"main.tf": (1, "nesting too deep")}),
    Case(
        "tf-deep-objects",
        {"main.tf": _deep_hcl("{a = ", "}")},
        {"main.tf": (1, "nesting too deep")},
    ),
    Case("tf-deep-parens", {"main.tf": _deep_hcl("(", ")")}, {"main.tf": (1, "nesting too deep")}),
    Case(
        "tf-deep-calls",
        {"main.tf": _deep_hcl("max(", ")")},
        {"main.tf": (1, "nesting too deep")},
    ),
    Case(
        "tf-deep-blocks",
        {"main.tf": b"a {\n" * DEEP + b"}\n" * DEEP},
        {"main.tf": (1, "nesting too deep")},
    ),
    Case(
        "tf-deep-unclosed",
        {"main.tf": b"locals {\n  x = " + b"[" * DEEP + b"\n}\n"},
        {"main.tf": (0, "")},
    ),
    Case(
        "tf-json-deep",
        {"main.tf.json": b'{"locals": {"x": ' + b"[" * DEEP + b"]" * DEEP + b"}}"},
        {"main.tf.json": (1, "nesting deeper than")},
    ),
    Case(
        "yaml-deep-flow",
        {"x.yaml": b"apiVersion: v1\nkind: ConfigMap\ndata: " + b"[" * DEEP + b"]" * DEEP + b"\n"},
        {"x.yaml": (0, "nest")},
    ),
    Case(
        "yaml-deep-block",
        {"x.yaml": b"apiVersion: v1\nkind: ConfigMap\ndata:\n" + b"- " * DEEP + b"x\n"},
        {"x.yaml": (0, "")},
    ),
    Case(
        "json-manifest-deep",
        {
            "x.json": b'{"apiVersion": "v1", "kind": "ConfigMap", "data": '
            + b"[" * DEEP
            + b"]" * DEEP
            + b"}"
        },
        {"x.json": (1, "nesting deeper than")},
    ),
    # -- manifests ---------------------------------------------------------------------------
    Case(
        "yaml-binary-manifest",
        {"x.yaml": b"apiVersion: v1\nkind: Pod\n" + bytes(range(128, 256))},
        {"x.yaml": (3, "not valid UTF-8")},
    ),
    Case(
        "yaml-binary-not-a-manifest",  # no apiVersion/kind: not a Kubernetes file, skipped
        {"x.yaml": bytes(range(128, 256)) * 4},
        rc=0,
    ),
    Case("yaml-nul-byte", {"x.yaml": K8S + b"\x00"}, {"x.yaml": (9, "binary content (NUL byte)")}),
    Case(
        "yaml-utf16-bom",
        {"x.yaml": codecs.BOM_UTF16_LE + K8S_POD.encode("utf-16-le")},
        rules=frozenset(K8S_POD_RULES),
    ),
    Case("yaml-utf8-bom", {"x.yaml": codecs.BOM_UTF8 + K8S}, rules=frozenset(K8S_POD_RULES)),
    Case("yaml-crlf", {"x.yaml": K8S.replace(b"\n", b"\r\n")}, rules=frozenset(K8S_POD_RULES)),
    Case("yaml-lone-cr", {"x.yaml": K8S.replace(b"\n", b"\r")}, rules=frozenset(K8S_POD_RULES)),
    Case("yaml-alias-bomb", {"x.yaml": _alias_bomb()}, {"x.yaml": (0, "alias")}),
    Case(
        "yaml-recursive-alias",
        {"x.yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: &a\n  k: *a\n"},
        {"x.yaml": (0, "recursive alias")},
    ),
    Case(
        "yaml-duplicate-key",
        {"x.yaml": K8S + b"metadata:\n  name: q\n"},
        {"x.yaml": (9, "duplicate key 'metadata'")},
    ),
    Case(
        # A Python tag constructs nothing (compose only) and hides nothing: the image is judged.
        "yaml-python-tag",
        {"x.yaml": K8S + b'  annotations: !!python/object/apply:os.system ["exit 3"]\n'},
        rules=frozenset(K8S_POD_RULES),
    ),
    Case(
        "yaml-unknown-tag",
        {"x.yaml": K8S.replace(b"image: docker", b"image: !custom docker")},
        rules=frozenset(K8S_POD_RULES),
    ),
    # -- size limit (a small one: the 10 MiB default is tested below with a sparse file) --
    Case(
        "tf-over-max-file-size",
        {"main.tf": TF},
        {"main.tf": (1, "too large")},
        args=("--max-file-size", str(len(TF) - 1)),
    ),
    Case(
        "tf-exactly-max-file-size",
        {"main.tf": TF},
        rules=frozenset(TF_AWS_US_RULES),
        args=("--max-file-size", str(len(TF))),
    ),
    Case(
        "yaml-over-max-file-size",
        {"x.yaml": K8S},
        {"x.yaml": (1, "too large")},
        args=("--max-file-size", "64"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_content(
    case: Case,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, data in case.files.items():
        (tmp_path / name).write_bytes(data)
    result = json_scan(tmp_path, capsys, monkeypatch, *case.args)
    findings = result.findings()
    failures = {f["file"]: f for f in findings if f["rule_id"] == "SOV001"}
    assert set(failures) == set(case.sov001), findings
    for file, (line, words) in case.sov001.items():
        message = failures[file]["message"]
        assert words in message, message
        assert "\n" not in message and len(message) < 300, message
        if line:
            assert failures[file]["line"] == line, failures[file]
    others = {(f["rule_id"], f["line"]) for f in findings if f["rule_id"] != "SOV001"}
    assert others == set(case.rules)
    assert result.rc == case.rc


def _sparse(path: Path, size: int, head: bytes = b"") -> None:
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(size)  # a hole: no disk space used, nothing to read into memory


def _peak(
    cwd: Path, capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch, *args: str
) -> tuple[Outcome, int]:
    tracemalloc.start()
    try:
        result = json_scan(cwd, capsys, mp, "--no-cache", *args)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("name", "head"),
    [("main.tf", TF), ("x.yaml", b"apiVersion: v1\nkind: Pod\n")],
    ids=["terraform", "manifest"],
)
def test_file_over_default_limit_is_sov001_without_being_read(
    name: str,
    head: bytes,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """10 MiB + 1 byte: SOV001 "too large", and the scan's peak memory is that of a scan whose
    file is tiny (also over a tiny limit): the 10 MiB were never read."""
    small, big = tmp_path / "small", tmp_path / "big"
    small.mkdir()
    big.mkdir()
    (small / name).write_bytes(head)
    _sparse(big / name, 10 * MIB + 1, head)
    json_scan(small, capsys, monkeypatch, "--no-cache")  # warm imports
    baseline, small_peak = _peak(small, capsys, monkeypatch, "--max-file-size", "8")
    result, big_peak = _peak(big, capsys, monkeypatch)
    assert list(baseline.sov001()) == [name] and "too large" in baseline.sov001()[name]
    assert list(result.sov001()) == [name]
    assert f"too large ({10 * MIB + 1} bytes > {10 * MIB})" in result.sov001()[name]
    assert result.rc == 1
    assert big_peak - small_peak < MIB, (big_peak, small_peak)


def test_file_just_under_default_limit_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit is not off by one: a file of exactly 10 MiB is read and judged."""
    padding = 10 * MIB - len(TF)
    (tmp_path / "main.tf").write_bytes(TF + b"#" * (padding - 1) + b"\n")
    assert (tmp_path / "main.tf").stat().st_size == 10 * MIB
    result = json_scan(tmp_path, capsys, monkeypatch, "--no-cache")
    assert result.rules() == TF_AWS_US_RULES
