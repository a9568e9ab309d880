"""A scan has no side effects: no network, no subprocess (unless --render), no writes but the
report, the baseline and the cache; the scanned files are left byte- and mtime-identical.

The CLI runs in a child process with an audit hook (PEP 578) installed by a sitecustomize
module. The hook logs every socket, process and file-mutation event to a file descriptor it
opened before installing itself (os.write raises no audit event, so logging cannot recurse).
Parse worker processes are forks of the CLI and inherit the hook.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hostile_util import K8S_POD, ROOT, SRC, TF_AWS_US, cli

HOOK = r"""
import json, os, sys

_fd = os.open(os.environ["SOVLINT_AUDIT_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_MUTATE = {
    "os.rename", "os.replace", "os.remove", "os.unlink", "os.rmdir", "os.mkdir", "os.chmod",
    "os.chown", "os.utime", "os.truncate", "os.symlink", "os.link", "shutil.rmtree",
    "shutil.copyfile", "shutil.move",
}
_PROCESS = {
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
    "os.forkpty", "pty.spawn", "os.startfile",
}


def _log(kind, *parts):
    line = json.dumps([kind, *parts], default=repr) + "\n"
    os.write(_fd, line.encode("utf-8", "backslashreplace"))


def _hook(event, args):
    if event == "open":
        path, mode, flags = (list(args) + [None, None, None])[:3]
        if isinstance(mode, str) and any(c in mode for c in "wax+"):
            _log("write", "open", os.fsdecode(path) if isinstance(path, bytes) else path)
        elif mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS:
            _log("write", "os.open", os.fsdecode(path) if isinstance(path, bytes) else path)
    elif event.startswith(("socket.", "urllib.", "http.", "ftplib.", "smtplib.")):
        _log("net", event)
    elif event in _PROCESS:
        _log("process", event)
    elif event in _MUTATE:
        _log("mutate", event, *(a for a in args[:2] if isinstance(a, (str, bytes, int))))


sys.addaudithook(_hook)
"""


def _hooked(tmp_path: Path) -> tuple[Path, Path]:
    hook_dir = tmp_path / "hook"
    hook_dir.mkdir()
    (hook_dir / "sitecustomize.py").write_text(HOOK)
    return hook_dir, tmp_path / "audit.log"


def _events(log: Path) -> list[list[Any]]:
    """[kind, event, args...] per audited event: kind is write, mutate, net or process."""
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def _run_hooked(
    args: list[str], cwd: Path, tmp_path: Path, **env: str
) -> tuple[int, str, list[list[Any]]]:
    hook_dir, log = _hooked(tmp_path)
    proc = cli(
        args,
        cwd,
        timeout=120,
        PYTHONPATH=f"{hook_dir}{os.pathsep}{SRC}",
        SOVLINT_AUDIT_LOG=str(log),
        **env,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stderr, _events(log)


def _tree(root: Path) -> None:
    """Terraform (enough files for the parse workers), var files, manifests, a plan, a
    kustomization, a Helm chart and a configuration file."""
    (root / ".sovlint.yaml").write_text("profile: sovereign-eu\nexclude: [ignored]\n")
    tf = root / "infra"
    tf.mkdir()
    (tf / "main.tf").write_text(TF_AWS_US)
    for i in range(12):
        (tf / f"r{i}.tf").write_text(
            f'resource "aws_instance" "i{i}" {{\n  ami = "ami-{i}"\n}}\n'
            f'module "m{i}" {{\n  source = "./modules/m"\n}}\n'
        )
    (tf / "modules" / "m").mkdir(parents=True)
    (tf / "modules" / "m" / "main.tf").write_text('variable "x" {\n  default = 1\n}\n')
    (tf / "terraform.tfvars").write_text('region = "eu-west-3"\n')
    (tf / "remote.tf").write_text(
        'module "registry" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
        'module "git" {\n  source = "git::https://example.com/x.git"\n}\n'
    )
    (tf / "broken.tf").write_bytes(b"resource {{{ \xff")
    k8s = root / "k8s"
    k8s.mkdir()
    (k8s / "pod.yaml").write_text(K8S_POD)
    (k8s / "kustomization.yaml").write_text(
        "resources:\n- pod.yaml\nimages:\n- name: x\n  newName: quay.io/x\n"
    )
    chart = root / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 1.0.0\n")
    (chart / "templates" / "d.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.n }}\n"
    )
    (root / "plan.json").write_text(
        '{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {}}}'
    )


def _snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*filenames, *dirnames]:
            path = Path(dirpath) / name
            st = path.lstat()
            data = path.read_bytes() if stat.S_ISREG(st.st_mode) else b""
            out[str(path.relative_to(root))] = (data, st.st_mtime_ns, st.st_mode)
    return out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_scan_touches_nothing_but_its_outputs(jobs: str, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    _tree(root)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    cache = tmp_path / "cache"
    before = _snapshot(root)
    rc, stderr, events = _run_hooked(
        [
            "scan",
            ".",
            "--jobs",
            jobs,
            "-f",
            "json",
            "-o",
            str(out_dir / "report.json"),
            "--write-baseline",
            str(out_dir / "baseline.json"),
        ],
        root,
        tmp_path,
        SOVLINT_CACHE_DIR=str(cache),
    )
    # The baseline just written accepts every finding it may record; SOV001 it may not.
    report = json.loads((out_dir / "report.json").read_text())
    active = [(f["rule_id"], f["file"]) for f in report["findings"] if not f["suppressed"]]
    assert active == [("SOV001", "infra/broken.tf")]
    assert rc == 1, stderr
    assert (out_dir / "baseline.json").is_file()
    assert _snapshot(root) == before  # same names, bytes, mtimes and modes

    assert [e for e in events if e[0] == "net"] == []
    processes = [e for e in events if e[0] == "process"]
    # Parse workers are forks of sovlint itself (only with --jobs > 1); nothing is executed.
    assert all(e[1] == "os.fork" for e in processes), processes
    if jobs == "1":
        assert processes == []
    allowed = (str(out_dir) + os.sep, str(cache) + os.sep)
    for event in events:
        if event[0] not in ("write", "mutate"):
            continue
        for target in event[2:]:
            if isinstance(target, int):
                continue  # a descriptor whose opening was itself checked, or a mode
            absolute = target if os.path.isabs(target) else os.path.join(root, target)
            assert absolute.startswith(allowed) or absolute == str(cache), event


def test_no_cache_means_no_cache_writes(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    _tree(root)
    cache = tmp_path / "cache"
    before = _snapshot(root)
    rc, stderr, events = _run_hooked(
        ["scan", ".", "--no-cache", "--jobs", "1", "-f", "sarif"],
        root,
        tmp_path,
        SOVLINT_CACHE_DIR=str(cache),
    )
    assert rc == 1, stderr
    assert events == []
    assert not cache.exists()
    assert _snapshot(root) == before


def test_the_hook_sees_what_it_must_forbid(tmp_path: Path) -> None:
    """Positive control: the same hook records --render's subprocess (a stand-in helm), a
    socket and a write, so the empty logs above mean something."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    helm = bin_dir / "helm"
    helm.write_text(f"#!{sys.executable}\n" + (ROOT / "tests" / "fake_helm.py").read_text())
    helm.chmod(0o755)
    chart = ROOT / "fixtures" / "kubernetes" / "helm-chart"
    rc, stderr, events = _run_hooked(
        ["scan", ".", "--render", "helm", "--no-cache", "-f", "json"],
        chart,
        tmp_path,
        PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    assert rc == 1, stderr
    assert any(e[0] == "process" and "subprocess.Popen" in e[1] for e in events), events

    (tmp_path / "control").mkdir()
    hook_dir, log = _hooked(tmp_path / "control")
    script = (
        "import socket, subprocess\n"
        "s = socket.socket(); s.settimeout(1)\n"
        "try: s.connect(('127.0.0.1', 9))\n"
        "except OSError: pass\n"
        "subprocess.run(['true'])\n"
        f"open({str(tmp_path / 'w.txt')!r}, 'w').close()\n"
    )
    subprocess.run(
        [sys.executable, "-c", script],
        env=dict(os.environ, PYTHONPATH=str(hook_dir), SOVLINT_AUDIT_LOG=str(log)),
        check=True,
        timeout=60,
    )
    kinds = {e[0] for e in _events(log)}
    assert {"net", "process", "write"} <= kinds
