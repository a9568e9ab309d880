"""Interrupts and failed writes: Ctrl-C exits 130 and leaves no half-written report; a full
disk, a read-only directory or a missing one is a one-line error with exit 2."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile_util import SRC, TF_AWS_US, assert_fail_closed_stderr, cli, env, privileges_dropped

from sovlint import atomic

OLD_REPORT = "an older report that must survive\n"
SOVLINT = [sys.executable, "-m", "sovlint"]


def _big_tree(root: Path, files: int) -> None:
    """`files` Terraform files of 20,000 lines each (hard links: cheap to make), many seconds
    of parsing, so an interrupt lands in the middle of the scan."""
    root.mkdir()
    block = 'resource "aws_instance" "i%d" {\n  ami  = "ami-1"\n  tags = { n = "%d" }\n}\n\n'
    (root / "f0.tf").write_text("".join(block % (i, i) for i in range(4000)))
    for i in range(1, files):
        os.link(root / "f0.tf", root / f"f{i}.tf")


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _cpu_seconds(pid: int) -> float:
    """CPU time of a process and of its live children (the parse workers)."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = _stat(int(entry.name))
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _wait_busy(proc: subprocess.Popen[str], cpu: float = 1.5, limit: float = 60) -> None:
    """Until the scan has used `cpu` seconds of CPU: past start-up, inside the parsing."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the scan ended before it could be interrupted"
        if _cpu_seconds(proc.pid) >= cpu:
            return
        time.sleep(0.05)
    raise AssertionError("the scan never got busy")


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize(
    ("jobs", "group"),
    [("1", False), ("2", False), ("2", True)],
    ids=["jobs1-kill-INT", "jobs2-kill-INT", "jobs2-ctrl-c-to-group"],
)
def test_sigint_mid_scan_exits_130_and_keeps_the_old_report(
    jobs: str, group: bool, tmp_path: Path
) -> None:
    root = tmp_path / "big"
    _big_tree(root, 48)
    report = tmp_path / "report.json"
    report.write_text(OLD_REPORT)
    proc = subprocess.Popen(
        [*SOVLINT, "scan", ".", "--no-cache", "--jobs", jobs, "-f", "json", "-o", str(report)],
        cwd=root,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: a group signal cannot reach pytest
        # A test runner started in the background (`cmd &`, nohup) ignores SIGINT, and the
        # scan would inherit that (Python keeps an ignored SIGINT ignored): give it the
        # disposition a terminal gives, so the test checks sovlint and not how it was run.
        preexec_fn=_default_sigint,
    )
    try:
        _wait_busy(proc)
        if group:
            os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        else:
            os.kill(proc.pid, signal.SIGINT)  # what `kill -INT` or a CI runner does
        # A generous bound that still catches Ctrl-C waiting for the whole parse (~60 s of
        # work left here), as leaving a `with ProcessPoolExecutor` block did.
        _out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err
    assert err == "sovlint: interrupted\n", err
    assert report.read_text() == OLD_REPORT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big", "report.json"]  # no temp file


def test_interrupt_during_the_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C between writing the temporary file and renaming it: old report intact, no debris."""
    target = tmp_path / "report.json"
    target.write_text(OLD_REPORT)

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_atomic(target, "new report\n" * 1000)
    assert target.read_text() == OLD_REPORT
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_write_keeps_links_and_permissions(tmp_path: Path) -> None:
    real = tmp_path / "reports" / "r.json"
    real.parent.mkdir()
    real.write_text(OLD_REPORT)
    real.chmod(0o640)
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    atomic.write_atomic(link, "new\n")
    assert link.is_symlink() and real.read_text() == "new\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


@pytest.fixture
def full_device(tmp_path: Path) -> Path:
    """A device that answers every write with ENOSPC. As root, our own node (same major/minor
    as /dev/full) in tmp_path: if a bug renamed a file over it, /dev/full would be unharmed."""
    if os.geteuid() == 0:
        node = tmp_path / "full"
        try:
            os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
            return node
        except OSError:
            pytest.skip(
                "cannot create a device node here, and /dev/full is not safe to test as root"
            )
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    return Path("/dev/full")


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_disk_full_is_a_one_line_error(option: str, full_device: Path, tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TF_AWS_US)
    proc = cli(["scan", ".", "-f", "json", option, str(full_device)], tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert_fail_closed_stderr(proc.stderr)
    assert str(full_device) in proc.stderr and "No space left on device" in proc.stderr
    assert stat.S_ISCHR(full_device.stat().st_mode)  # still the device, not a plain file


def test_output_to_a_pipe_device_is_written_in_place(tmp_path: Path) -> None:
    """`-o /dev/stdout` writes through the device instead of renaming a file over it."""
    (tmp_path / "main.tf").write_text(TF_AWS_US)
    proc = cli(["scan", ".", "-f", "json", "-o", "/dev/stdout"], tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert '"schema_version": 3' in proc.stdout
    assert Path("/dev/stdout").is_symlink() or Path("/dev/stdout").is_char_device()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda d: d / "missing-dir" / "r.json", "No such file or directory"),
        (lambda d: d, "Is a directory"),
    ],
    ids=["missing-directory", "a-directory"],
)
def test_bad_output_path_is_a_one_line_error(make: object, reason: str, tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TF_AWS_US)
    target = make(tmp_path)  # type: ignore[operator]
    proc = cli(["scan", ".", "-f", "json", "-o", str(target)], tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert_fail_closed_stderr(proc.stderr)
    assert reason in proc.stderr and "cannot write report" in proc.stderr


def test_read_only_directory_is_a_one_line_error(tmp_path: Path) -> None:
    prefix = privileges_dropped()
    if prefix is None:
        pytest.skip("running as root without setpriv: directory permissions cannot be enforced")
    (tmp_path / "main.tf").write_text(TF_AWS_US)
    locked = tmp_path / "reports"
    locked.mkdir()
    (locked / "r.json").write_text(OLD_REPORT)
    locked.chmod(0o555)
    try:
        proc = subprocess.run(
            [*prefix, *SOVLINT, "scan", ".", "-f", "json", "-o", str(locked / "r.json")],
            cwd=tmp_path,
            env=env(PYTHONPATH=str(SRC)),
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 2, proc.stderr
    assert_fail_closed_stderr(proc.stderr)
    assert "Permission denied" in proc.stderr
    assert (locked / "r.json").read_text() == OLD_REPORT
    assert [p.name for p in locked.iterdir()] == ["r.json"]


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_disk_full_on_stdout_is_a_one_line_error(
    fmt: str, full_device: Path, tmp_path: Path
) -> None:
    (tmp_path / "main.tf").write_text(TF_AWS_US)
    with full_device.open("w") as out:
        proc = subprocess.run(
            [*SOVLINT, "scan", ".", "-f", fmt],
            cwd=tmp_path,
            env=env(),
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 2, proc.stderr
    assert_fail_closed_stderr(proc.stderr)
    assert "cannot write output: No space left on device" in proc.stderr


# The reader of stdout went away (`sovlint scan | head -1`): simulated in the child itself,
# since whether a pipe write fails at once depends on the kernel's buffering.
_CLOSED_READER = """
import sys
class Gone:
    def write(self, data):
        raise BrokenPipeError(32, "Broken pipe")
    def flush(self):
        pass
sys.stdout = type("Out", (), {"buffer": Gone(), "write": Gone().write, "flush": Gone().flush,
                              "isatty": lambda self: False, "fileno": lambda self: 1})()
from sovlint.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_closed_stdout_reader_ends_quietly(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TF_AWS_US)
    proc = subprocess.run(
        [sys.executable, "-c", _CLOSED_READER, "scan", "."],
        cwd=tmp_path,
        env=env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr == ""  # no "Broken pipe", no "Exception ignored", no traceback
