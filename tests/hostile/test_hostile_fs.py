"""Hostile file-system entries: FIFOs, sockets, links, unreadable files, odd names, skipped dirs.

FIFO and socket cases run the real CLI in a child process with a timeout, so a blocking open
fails the test instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_util import (
    K8S_POD,
    K8S_POD_RULES,
    TF_AWS_US,
    TF_AWS_US_RULES,
    Outcome,
    assert_fail_closed_stderr,
    cli,
    json_scan,
    privileges_dropped,
)

TF_CLEAN = 'variable "v" {\n  default = "x"\n}\n'


def _child_json(args: list[str], cwd: Path, prefix: list[str] | None = None) -> Outcome:
    proc = cli(["scan", "-f", "json", *args], cwd, timeout=60, prefix=prefix)
    assert_fail_closed_stderr(proc.stderr)
    assert proc.returncode in (0, 1), proc.stderr
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


# -- special files -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["main.tf", "x.yaml", "terraform.tfvars"])
def test_fifo_does_not_block_and_is_sov001(name: str, tmp_path: Path) -> None:
    """A FIFO with no writer would block a plain open() forever."""
    os.mkfifo(tmp_path / name)
    (tmp_path / "ok.tf").write_text(TF_AWS_US)
    result = _child_json(["."], tmp_path)
    assert result.sov001() == {name: "not a regular file"}
    assert {r for r in result.rules() if r[0] != "SOV001"} == TF_AWS_US_RULES
    assert result.rc == 1


def test_fifo_named_on_the_command_line_is_sov001(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "main.tf")
    result = _child_json(["main.tf"], tmp_path)
    assert result.sov001() == {"main.tf": "not a regular file or directory"}


@pytest.fixture
def bound_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "main.tf"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(path))
        sock.listen(1)
        yield path
    finally:
        sock.close()


def test_unix_socket_is_sov001(bound_socket: Path) -> None:
    result = _child_json(["."], bound_socket.parent)
    assert result.sov001() == {"main.tf": "not a regular file"}
    assert result.rc == 1


def test_directory_named_like_a_terraform_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`x.tf/` is a directory: walked like any other, never read as a file."""
    (tmp_path / "x.tf").mkdir()
    (tmp_path / "x.tf" / "main.tf").write_text(TF_AWS_US)
    (tmp_path / "y.yaml").mkdir()
    result = json_scan(tmp_path, capsys, monkeypatch)
    assert result.rules() == TF_AWS_US_RULES
    assert {f["file"] for f in result.findings()} == {"x.tf/main.tf"}


# -- symbolic links ------------------------------------------------------------------------


def test_dangling_symlink_is_sov001(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    os.symlink("missing.tf", tmp_path / "main.tf")
    os.symlink("missing.txt", tmp_path / "notes.txt")  # not a scanned name: ignored
    result = json_scan(tmp_path, capsys, monkeypatch)
    assert list(result.sov001()) == ["main.tf"]
    assert "broken symbolic link" in result.sov001()["main.tf"]
    assert result.rc == 1


@pytest.mark.parametrize("follow", [False, True], ids=["default", "follow-symlinks"])
def test_symlink_loop_is_sov001_and_terminates(
    follow: bool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    os.symlink("b.tf", tmp_path / "a.tf")
    os.symlink("a.tf", tmp_path / "b.tf")
    (tmp_path / "sub").mkdir()
    os.symlink("..", tmp_path / "sub" / "up")  # a directory loop
    (tmp_path / "sub" / "main.tf").write_text(TF_AWS_US)
    args = ["--follow-symlinks"] if follow else []
    result = json_scan(tmp_path, capsys, monkeypatch, *args)
    problems = result.sov001()
    assert set(problems) == {"a.tf", "b.tf", "sub/up"}
    assert "symbolic link loop" in problems.pop("sub/up")
    assert all("symbolic links" in m for m in problems.values()), problems
    assert {r for r in result.rules() if r[0] != "SOV001"} == TF_AWS_US_RULES
    assert {f["file"] for f in result.findings() if f["rule_id"] != "SOV001"} == {"sub/main.tf"}


# -- directory links get the treatment of file links ----------------------------------------


@pytest.fixture
def outside_dir_link(tmp_path: Path) -> Path:
    """root/env/modules -> shared/, a directory outside the scanned root/env."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "providers.tf").write_text(TF_AWS_US)
    env = tmp_path / "env"
    env.mkdir()
    (env / "vars.tf").write_text(TF_CLEAN)
    os.symlink("../shared", env / "modules")
    return env


def test_directory_link_outside_root_is_sov001(
    outside_dir_link: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = json_scan(outside_dir_link, capsys, monkeypatch)
    assert list(result.sov001()) == ["modules"]
    assert "outside the scanned directory" in result.sov001()["modules"]
    assert result.rc == 1


def test_directory_link_outside_root_is_followed_with_the_flag(
    outside_dir_link: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = json_scan(outside_dir_link, capsys, monkeypatch, "--follow-symlinks")
    assert result.rules() == TF_AWS_US_RULES
    assert {f["file"] for f in result.findings()} == {"modules/providers.tf"}


def test_directory_link_inside_root_is_walked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like a file link inside the tree: read under the link's own path too."""
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "pod.yaml").write_text(K8S_POD)
    os.symlink("common", tmp_path / "linked")
    result = json_scan(tmp_path, capsys, monkeypatch)
    assert result.sov001() == {}
    assert {(f["file"], f["rule_id"], f["line"]) for f in result.findings()} == {
        (d, rule, line)
        for d in ("common/pod.yaml", "linked/pod.yaml")
        for rule, line in K8S_POD_RULES
    }


def test_directory_link_to_a_skipped_directory_is_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "main.tf").write_text(TF_CLEAN)
    (tmp_path / ".terraform").mkdir()
    (tmp_path / ".terraform" / "x.tf").write_text(TF_AWS_US)
    os.symlink(".terraform", tmp_path / "vendor")  # a name not skipped: its content is read
    result = json_scan(tmp_path, capsys, monkeypatch)
    assert {f["file"] for f in result.findings()} == {"vendor/x.tf"}


@pytest.fixture
def outside_link(tmp_path: Path) -> Path:
    """root/env/main.tf -> shared/providers.tf, which lies outside the scanned root/env."""
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "providers.tf").write_text(TF_AWS_US)
    env = tmp_path / "env"
    env.mkdir()
    (env / "vars.tf").write_text(TF_CLEAN)
    os.symlink("../shared/providers.tf", env / "main.tf")
    return env


def test_symlink_outside_root_is_not_followed_but_reported(
    outside_link: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = json_scan(outside_link, capsys, monkeypatch)
    assert list(result.sov001()) == ["main.tf"]
    assert "outside the scanned directory" in result.sov001()["main.tf"]
    assert "--follow-symlinks" in result.sov001()["main.tf"]
    assert {r for r in result.rules() if r[0] != "SOV001"} == set()  # its content was not read
    assert result.rc == 1


def test_symlink_outside_root_is_followed_with_the_flag(
    outside_link: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = json_scan(outside_link, capsys, monkeypatch, "--follow-symlinks")
    assert result.rules() == TF_AWS_US_RULES
    assert {f["file"] for f in result.findings()} == {"main.tf"}


def test_symlink_inside_root_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A module sharing a file of the same tree by a link is judged with that file."""
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "providers.tf.txt").write_text(TF_AWS_US)
    (tmp_path / "env").mkdir()
    os.symlink("../common/providers.tf.txt", tmp_path / "env" / "providers.tf")
    result = json_scan(tmp_path, capsys, monkeypatch)
    assert result.rules() == TF_AWS_US_RULES
    assert {f["file"] for f in result.findings()} == {"env/providers.tf"}


def test_symlink_given_on_the_command_line_is_followed(
    outside_link: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Naming a link explicitly is asking for it (like `find -H`): never a silent empty scan."""
    result = inproc_json(outside_link, capsys, monkeypatch, "main.tf")
    assert result.rules() == TF_AWS_US_RULES
    dangling = outside_link / "gone.tf"
    os.symlink("nowhere.tf", dangling)
    result = inproc_json(outside_link, capsys, monkeypatch, "gone.tf")
    assert list(result.sov001()) == ["gone.tf"]
    assert result.rc == 1


def inproc_json(
    cwd: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *paths: str
) -> Outcome:
    from hostile_util import inproc

    result = inproc(["scan", "-f", "json", *paths], cwd, capsys, monkeypatch)
    assert_fail_closed_stderr(result.err)
    return result


# -- permissions ---------------------------------------------------------------------------


@pytest.fixture
def no_dac() -> list[str]:
    prefix = privileges_dropped()
    if prefix is None:
        pytest.skip("running as root without setpriv: file permissions cannot be enforced")
    return prefix


def test_unreadable_file_is_sov001(tmp_path: Path, no_dac: list[str]) -> None:
    """Permission denied: SOV001, for Terraform and for manifests. As root, the check runs
    under `setpriv` without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH, so mode 000 really denies."""
    (tmp_path / "main.tf").write_text(TF_AWS_US)
    (tmp_path / "pod.yaml").write_text(K8S_POD)
    (tmp_path / "ok.tf").write_text(TF_CLEAN)
    (tmp_path / "main.tf").chmod(0)
    (tmp_path / "pod.yaml").chmod(0)
    try:
        result = _child_json([".", "--no-cache"], tmp_path, prefix=no_dac)
    finally:
        (tmp_path / "main.tf").chmod(0o644)
        (tmp_path / "pod.yaml").chmod(0o644)
    assert result.sov001() == {
        "main.tf": "cannot read: Permission denied",
        "pod.yaml": "cannot read: Permission denied",
    }
    assert result.rc == 1


def test_unreadable_directory_is_sov001(tmp_path: Path, no_dac: list[str]) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "main.tf").write_text(TF_AWS_US)
    (tmp_path / "locked").chmod(0)
    try:
        result = _child_json([".", "--no-cache"], tmp_path, prefix=no_dac)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert list(result.sov001()) == ["locked"]
    assert "Permission denied" in result.sov001()["locked"]
    assert result.rc == 1


def test_setpriv_really_denies(tmp_path: Path, no_dac: list[str]) -> None:
    """The trick above is not a no-op: the same child can read the file once mode allows."""
    target = tmp_path / "secret"
    target.write_text("x")
    target.chmod(0)
    import subprocess
    import sys

    code = "import sys; open(sys.argv[1]).read()"
    denied = subprocess.run([*no_dac, sys.executable, "-c", code, str(target)], check=False)
    target.chmod(stat.S_IRUSR | stat.S_IWUSR)
    allowed = subprocess.run([*no_dac, sys.executable, "-c", code, str(target)], check=False)
    assert denied.returncode != 0
    assert allowed.returncode == 0


# -- names -----------------------------------------------------------------------------------

NAMES = [
    "with space.tf",
    " leading-space.tf",
    "trailing-space.tf ",  # not a .tf name: ignored
    "new\nline.tf",
    "ünïcødé-€.tf",
    "-rf.tf",
    "--help.tf",
    "tab\tname.tf",
    "esc\x1b[31mred.tf",
]


def test_odd_file_names(tmp_path: Path) -> None:
    """Every odd name is read (one module, one directory), and reported on one line each."""
    for index, name in enumerate(NAMES):
        region = f"us-east-{index + 1}"
        (tmp_path / name).write_text(
            f'resource "aws_s3_bucket" "b{index}" {{\n  bucket = "x"\n}}\n'
            if index
            else TF_AWS_US.replace("us-east-1", region)
        )
    os.mkdir(tmp_path / "out")
    proc = cli(["scan", ".", "-f", "text", "-f", "json", "-o", "out/r.json"], tmp_path)
    assert_fail_closed_stderr(proc.stderr)
    assert proc.returncode == 1
    report = json.loads((tmp_path / "out" / "r.json").read_text())
    files = {f["file"] for f in report["findings"]}
    assert files == {n for n in NAMES if n.endswith(".tf")}
    # Text output: one line per finding, whatever the name holds.
    finding_lines = [ln for ln in proc.stdout.splitlines() if ": SOV" in ln]
    assert len(finding_lines) == len(report["findings"])
    assert "new\\x0aline.tf:" in proc.stdout
    assert "\x1b" not in proc.stdout


def test_name_starting_with_dash_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "-rf.tf").write_text(TF_AWS_US)
    proc = cli(["scan", "-rf.tf"], tmp_path)  # read as an option: a usage error, not a scan
    assert proc.returncode == 2
    assert_fail_closed_stderr(proc.stderr)
    for args in (["--", "-rf.tf"], ["./-rf.tf"]):
        proc = cli(["scan", "-f", "json", *args], tmp_path)
        assert_fail_closed_stderr(proc.stderr)
        assert proc.returncode == 1
        assert {(f["rule_id"], f["line"]) for f in json.loads(proc.stdout)["findings"]} == (
            TF_AWS_US_RULES
        )


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "gitlab"])
def test_undecodable_name_and_lone_surrogates_in_every_format(fmt: str, tmp_path: Path) -> None:
    """A file name that is not UTF-8 and a `\\ud800` escape in a value: every report format is
    written (escaped), never an encoding crash."""
    raw = os.fsencode(tmp_path) + b"/\xff\xfe.tf"
    with open(raw, "wb") as fh:
        fh.write(TF_AWS_US.encode())
    (tmp_path / "region.tf").write_text(
        'provider "aws" {\n  alias  = "odd"\n  region = "us\\ud800"\n}\n'
    )
    proc = cli(["scan", ".", "-f", fmt, "-o", "report.out"], tmp_path)
    assert_fail_closed_stderr(proc.stderr)
    assert proc.returncode == 1
    data = (tmp_path / "report.out").read_bytes()
    data.decode("utf-8")  # strict: the report is valid UTF-8
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(data)
    if fmt == "junit":
        import xml.dom.minidom

        xml.dom.minidom.parseString(data)


# -- skipped directories ------------------------------------------------------------------


@pytest.mark.parametrize("skipped", [".terraform", ".git", "node_modules", ".venv"])
def test_tool_directories_are_skipped(
    skipped: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Vendored and generated trees are not the user's configuration: skipped by default,
    even when they hold broken files."""
    inner = tmp_path / skipped / "modules" / "x"
    inner.mkdir(parents=True)
    (inner / "main.tf").write_text(TF_AWS_US)
    (inner / "broken.tf").write_bytes(b"\xff{{{")
    (inner / "pod.yaml").write_text(K8S_POD)
    (tmp_path / "main.tf").write_text(TF_CLEAN)
    result = json_scan(tmp_path, capsys, monkeypatch)
    assert result.findings() == []
    assert result.report()["summary"]["files"] == 1
    assert result.rc == 0
    # ... and scanned when named explicitly.
    result = json_scan(inner, capsys, monkeypatch)
    assert set(result.sov001()) == {"broken.tf"}
    assert {r for r in result.rules() if r[0] != "SOV001"} == TF_AWS_US_RULES | K8S_POD_RULES


# -- the parse cache inside the scanned tree (GitLab's XDG_CACHE_HOME=$PWD/.cache) ----------


def test_cache_inside_the_tree_is_never_scanned(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TF_AWS_US)
    (tmp_path / "pod.yaml").write_text(K8S_POD)
    cache_home = tmp_path / ".cache"
    expected = None
    for _ in range(10):
        proc = cli(
            ["scan", ".", "-f", "json"],
            tmp_path,
            XDG_CACHE_HOME=str(cache_home),
            SOVLINT_CACHE_DIR="",
        )
        assert_fail_closed_stderr(proc.stderr)
        report = json.loads(proc.stdout)
        got = sorted((f["file"], f["rule_id"], f["line"]) for f in report["findings"])
        assert expected is None or got == expected
        expected = got
        assert sorted(report["files"]) == ["main.tf", "pod.yaml"], report["files"]
    assert list(cache_home.rglob("*.json"))  # the cache was written there


def test_a_file_hidden_in_the_cache_directory_is_scanned(tmp_path: Path) -> None:
    """Only the cache's own entries are skipped: a pull request cannot hide a .tf there."""
    (tmp_path / "main.tf").write_text(TF_CLEAN)
    hidden = tmp_path / ".cache" / "sovlint" / "v1"
    hidden.mkdir(parents=True)
    (hidden / "evil.tf").write_text(TF_AWS_US)
    proc = cli(
        ["scan", ".", "-f", "json"],
        tmp_path,
        XDG_CACHE_HOME=str(tmp_path / ".cache"),
        SOVLINT_CACHE_DIR="",
    )
    files = {f["file"] for f in json.loads(proc.stdout)["findings"]}
    assert files == {".cache/sovlint/v1/evil.tf"}
