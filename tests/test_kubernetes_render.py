"""--render helm / --render kustomize: real tools where the machine has them, a stand-in for
helm where it does not, and never any subprocess without the flag."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sovlint.engine import ScanResult, exit_code
from sovlint.frontends.kubernetes import render
from sovlint.model import Severity
from sovtest import FIXTURES, ROOT, finding_keys, run_scan

K8S = FIXTURES / "kubernetes"
CHART = K8S / "helm-chart"
KUSTOMIZE = K8S / "kustomize"

# What the helm-chart fixture renders to, mapped back to the templates a user edits.
RENDERED_CHART = [
    {"rule": "SOV200", "file": "shop/charts/redis/templates/statefulset.yaml", "line": 10,
     "address": "StatefulSet/sovlint-redis/containers/redis"},
    {"rule": "SOV201", "file": "shop/templates/deployment.yaml", "line": 12,
     "address": "Deployment/sovlint-web"},
    {"rule": "SOV200", "file": "shop/templates/deployment.yaml", "line": 15,
     "address": "Deployment/sovlint-web/containers/web"},
    {"rule": "SOV202", "file": "shop/templates/service.yaml", "line": 6,
     "address": "Service/sovlint-web"},
    {"rule": "SOV202", "file": "shop/templates/serviceaccount.yaml", "line": 8,
     "address": "ServiceAccount/sovlint", "suppressed": True},
]  # fmt: skip

# What the kustomize fixture's prod overlay renders to: each field in the file that set it.
RENDERED_OVERLAY = [
    {"rule": "SOV203", "file": "base/deployment.yaml", "line": 21,
     "address": "Deployment/shop/prod-web/containers/nginx"},
    {"rule": "SOV203", "file": "overlays/prod/configmap.yaml", "line": 6,
     "address": "ConfigMap/shop/prod-telemetry"},
    {"rule": "SOV200", "file": "overlays/prod/kustomization.yaml", "line": 12,
     "address": "Deployment/shop/prod-web/containers/nginx"},
    {"rule": "SOV201", "file": "overlays/prod/pin-region.yaml", "line": 9,
     "address": "Deployment/shop/prod-web"},
    {"rule": "SOV104", "file": "base/service.yaml", "line": 6,
     "address": "Service/shop/prod-web"},
]  # fmt: skip


def _sorted(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda d: (d["file"], d["line"], d["rule"], d["address"]))


@pytest.fixture
def fake_helm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `helm` on PATH that is tests/fake_helm.py (only where no real helm is installed)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    helm = bin_dir / "helm"
    helm.write_text(f"#!{sys.executable}\n" + (ROOT / "tests" / "fake_helm.py").read_text())
    helm.chmod(helm.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return helm


def _check_rendered_chart(result: ScanResult) -> None:
    assert finding_keys(result) == _sorted(RENDERED_CHART)
    assert exit_code(result.findings, Severity.LOW) == 1
    by_address = {f.address: f for f in result.findings}
    assert "us-east-1" in by_address["Deployment/sovlint-web"].message
    assert "ghcr.io/acme/shop:1.0" in by_address["Deployment/sovlint-web/containers/web"].message
    assert (
        by_address["ServiceAccount/sovlint"].suppression_reason
        == "IRSA until the move to Scaleway, ticket OPS-12"
    )
    kinds = {(i.kind, i.address) for i in result.inventory}
    assert ("helm_chart", "shop") not in kinds  # rendered: its objects are listed instead
    assert ("kubernetes", "Deployment/sovlint-web") in kinds


def test_helm_render_with_stand_in(fake_helm: Path) -> None:
    result = run_scan(CHART, render=("helm",))
    _check_rendered_chart(result)


@pytest.mark.skipif(
    shutil.which("helm") is None,
    reason="helm is not installed (no Debian 12 package, no Linux helm binary on PyPI)",
)
def test_helm_render_real_helm() -> None:
    _check_rendered_chart(run_scan(CHART, render=("helm",)))


def test_helm_failure_is_sov001_on_the_chart(fake_helm: Path, tmp_path: Path) -> None:
    chart = tmp_path / "broken"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: broken\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text("{{ nope }}\n")
    result = run_scan(tmp_path, render=("helm",))
    [failure] = [f for f in result.findings if f.rule_id == "SOV001"]
    assert (failure.file, failure.line, failure.address) == (
        "broken/Chart.yaml",
        1,
        "broken/Chart.yaml",
    )
    assert 'function "nope" not defined' in failure.message
    assert exit_code(result.findings, Severity.HIGH) == 1


def test_helm_timeout_is_sov001(fake_helm: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_HELM_SLEEP", "5")
    monkeypatch.setattr(render, "RENDER_TIMEOUT", 0.5)
    result = run_scan(CHART, render=("helm",))
    [failure] = [f for f in result.findings if f.rule_id == "SOV001"]
    assert failure.file == "shop/Chart.yaml"
    assert "timed out after 0.5s" in failure.message


def _kustomize_available() -> bool:
    return shutil.which("kustomize") is not None or shutil.which("kubectl") is not None


@pytest.mark.skipif(not _kustomize_available(), reason="neither kustomize nor kubectl is on PATH")
def test_kustomize_render_maps_to_sources() -> None:
    result = run_scan(KUSTOMIZE, render=("kustomize",))
    assert finding_keys(result) == _sorted(RENDERED_OVERLAY)
    image = next(f for f in result.findings if f.rule_id == "SOV200")
    assert "123456789012.dkr.ecr.eu-west-3.amazonaws.com/nginx:1.27" in image.message
    # the base is built through the overlay only: no unprefixed duplicates, no raw patch object
    assert all("prod-" in i.address for i in result.inventory)
    assert {i.address for i in result.inventory} == {
        "ConfigMap/shop/prod-telemetry",
        "Deployment/shop/prod-web",
        "Service/shop/prod-web",
    }


@pytest.mark.skipif(not _kustomize_available(), reason="neither kustomize nor kubectl is on PATH")
def test_kustomize_failure_is_sov001(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("resources:\n  - missing.yaml\n")
    result = run_scan(tmp_path, render=("kustomize",))
    [failure] = result.findings
    assert (failure.rule_id, failure.file, failure.line) == ("SOV001", "kustomization.yaml", 1)
    assert "missing.yaml" in failure.message


def test_nothing_runs_without_the_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a subprocess was started: {args}")

    monkeypatch.setattr(subprocess, "run", forbidden)
    monkeypatch.setattr(subprocess, "Popen", forbidden)
    for case in (CHART, KUSTOMIZE):
        run_scan(case)


def _cli(args: list[str], cwd: Path, path: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1", PATH=path)
    return subprocess.run(
        [sys.executable, "-m", "sovlint", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("helm", "--render helm needs the `helm` binary on PATH: install Helm 3"),
        ("kustomize", "--render kustomize needs `kustomize` or `kubectl` on PATH"),
        ("jsonnet", "unknown --render mode 'jsonnet' (choose from: helm, kustomize)"),
    ],
)
def test_missing_tool_is_a_usage_error(mode: str, message: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    proc = _cli(["scan", "--render", mode, str(CHART)], tmp_path, str(empty))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("sovlint: error: ")
    assert message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_cli_render_helm_end_to_end(fake_helm: Path) -> None:
    proc = _cli(["scan", "--render", "helm", "--format", "json", "."], CHART, os.environ["PATH"])
    assert proc.returncode == 1, proc.stderr
    assert '"shop/templates/deployment.yaml"' in proc.stdout
    assert "SOV002" not in proc.stdout
