"""Identical inputs give byte-identical reports, whatever the order in which the files were
created, the order the file system lists them in, the locale, the hash seed, --jobs and the
state of the cache.

Many file systems (ext4's hashed directories) list names in an order that creation order does
not change, so directory listings are also shuffled outright: a sitecustomize module replaces
os.listdir and os.scandir (which os.walk and pathlib use) with seeded shuffling versions.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

from hostile_util import K8S_POD, SRC, TF_AWS_US, assert_fail_closed_stderr, cli

SHUFFLE = """
import os, random

_seed = int(os.environ["SOVLINT_TEST_SHUFFLE"])
_listdir, _scandir = os.listdir, os.scandir


def listdir(path="."):
    names = _listdir(path)
    random.Random(_seed).shuffle(names)
    return names


class _Shuffled:
    def __init__(self, it):
        self._it = it
        items = list(it)
        random.Random(_seed).shuffle(items)
        self._items = iter(items)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._items)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._it.close()

    def close(self):
        self._it.close()


def scandir(path="."):
    return _Shuffled(_scandir(path))


os.listdir, os.scandir = listdir, scandir
"""

FORMATS = ("json", "sarif", "junit", "gitlab", "text")


def _files() -> dict[str, str]:
    files: dict[str, str] = {}
    for d in range(4):
        for i in range(6):
            files[f"mod{d}/f{i}.tf"] = TF_AWS_US.replace('"b"', f'"b{d}_{i}"').replace(
                "us-east-1",
                random.Random(d * 10 + i).choice(["us-east-1", "eu-west-3", "xx-nowhere-9"]),
            )
        files[f"mod{d}/broken.tf"] = 'resource "x" {\n'
    files["k8s/a.yaml"] = K8S_POD
    files["k8s/b.yaml"] = K8S_POD.replace("name: p", "name: q").replace("nginx", "redis")
    files["k8s/z.json"] = (
        '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"}, "spec": {"containers": [{"name": "c", "image": "gcr.io/x/y:1"}]}}'
    )
    files["Ünïcode dir/main.tf"] = TF_AWS_US
    return files


def _build(root: Path, order_seed: int) -> None:
    if root.exists():
        shutil.rmtree(root)
    items = list(_files().items())
    random.Random(order_seed).shuffle(items)
    for name, text in items:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _reports(root: Path, out: Path, *extra: str, **env: str) -> dict[str, bytes]:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    args = ["scan", "."]
    for fmt in FORMATS:
        args += ["-f", fmt]
    for fmt in FORMATS:
        args += ["-o", str(out / f"report.{fmt}")]
    proc = cli([*args, *extra], root, **env)
    assert_fail_closed_stderr(proc.stderr)
    assert proc.returncode == 1
    return {fmt: (out / f"report.{fmt}").read_bytes() for fmt in FORMATS}


def test_reports_are_byte_identical(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    out = tmp_path / "out"
    cache = tmp_path / "cache"
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SHUFFLE)
    shuffled = f"{hook}{os.pathsep}{SRC}"
    runs = []
    for seed, extra, env in [
        (1, ("--jobs", "1", "--no-cache"), {"LC_ALL": "C", "PYTHONHASHSEED": "1"}),
        (2, ("--jobs", "2"), {"LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "2"}),  # cold cache
        (3, ("--jobs", "2"), {"LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "random"}),  # warm
        (4, ("--jobs", "1"), {"LANG": "C", "PYTHONHASHSEED": "4242"}),
    ]:
        _build(root, seed)
        runs.append(
            _reports(
                root,
                out,
                *extra,
                SOVLINT_CACHE_DIR=str(cache),
                PYTHONPATH=shuffled if seed > 1 else str(SRC),
                SOVLINT_TEST_SHUFFLE=str(seed),
                **env,
            )
        )
    assert any(cache.rglob("*.json"))  # the cache was really used
    first = runs[0]
    assert b"xx-nowhere-9" in first["json"] and "Ünïcode dir".encode() in first["json"]
    for other in runs[1:]:
        for fmt in FORMATS:
            assert other[fmt] == first[fmt], fmt


def test_the_shuffle_really_reorders(tmp_path: Path) -> None:
    """Control: under the sitecustomize above, a listing differs from the sorted one."""
    import subprocess
    import sys

    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SHUFFLE)
    for i in range(20):
        (tmp_path / f"f{i:02d}").write_text("")
    code = "import os, sys; print([e.name for e in os.scandir(sys.argv[1])] == sorted(os.listdir(sys.argv[1])))"
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        env=dict(os.environ, PYTHONPATH=str(hook), SOVLINT_TEST_SHUFFLE="3"),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "False"
