"""The start-up path of `sovlint scan` (pre-commit runs it on every commit): what it imports,
the compiled catalog, and option handling that stays typer's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sovlint.cache import Cache
from sovlint.catalog.compiled import LazyPattern, decode, encode, load_compiled
from sovlint.catalog.load import load_catalog
from sovtest import ROOT, run_cli

MODULE = 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'


MANIFEST = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n"
    "    spec:\n      containers:\n        - name: web\n"
    "          image: us-docker.pkg.dev/acme/tools/web:1\n"
)


def _imported_by_runs(
    tmp_path: Path, *args: str, files: dict[str, str] | None = None, warm: tuple[str, ...] = ()
) -> tuple[set[str], set[str]]:
    """The modules a cold, then a warm `sovlint scan` process imported (`warm`: extra options
    of the second run only)."""
    written = files or {"main.tf": MODULE}
    for name, text in written.items():
        (tmp_path / name).write_text(text)
    probe = (
        "import sys\n"
        "from sovlint.__main__ import main\n"
        "rc = main(['scan', *sys.argv[1:], '-f', 'json', '-o', 'out.json'])\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    env = {"PYTHONPATH": str(ROOT / "src"), "SOVLINT_CACHE_DIR": str(tmp_path / "cache")}
    runs = []
    for extra in ((), warm):
        proc = subprocess.run(
            [sys.executable, "-c", probe, *written, *args, *extra],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        runs.append(set(proc.stdout.split()))
    assert json.loads((tmp_path / "out.json").read_text())["findings"]
    return runs[0], runs[1]


def _imported_by_scan(tmp_path: Path, *args: str) -> set[str]:
    """Top-level packages a warm `sovlint scan` of one Terraform file imported."""
    return {m.split(".")[0] for m in _imported_by_runs(tmp_path, *args)[1]}


def test_warm_scan_imports_neither_pydantic_nor_rich_nor_yaml(tmp_path: Path) -> None:
    modules = _imported_by_scan(tmp_path, "--jobs", "2", "--fail-on", "high")
    assert "typer" in modules  # still the CLI framework
    assert not modules & {"pydantic", "pydantic_core", "rich", "yaml", "multiprocessing"}


def test_scan_imports_no_other_command(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MODULE)
    probe = (
        "import sys\n"
        "from sovlint.__main__ import main\n"
        "rc = main(['scan', 'main.tf', '-f', 'json', '-o', 'out.json'])\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('sovlint.cli'))))\n"
    )
    env = {"PYTHONPATH": str(ROOT / "src"), "SOVLINT_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    modules = set(proc.stdout.split())
    assert "sovlint.cli.scan" in modules, proc.stderr
    assert not modules & {"sovlint.cli.merge", "sovlint.cli.catalog", "sovlint.cli.info"}


def test_warm_kubernetes_scan_reads_manifests_from_the_cache_without_yaml(tmp_path: Path) -> None:
    """A manifest is composed by PyYAML once; a warm scan that must judge it again (other
    settings: the result cache misses) reads its nodes from the parse cache."""
    cold, warm = _imported_by_runs(
        tmp_path, files={"deploy.yaml": MANIFEST}, warm=("--var", "unused=1")
    )
    assert "yaml" in cold  # the first scan really parsed YAML
    assert "sovlint.frontends.kubernetes.objects" in warm  # the warm one built the objects again
    assert "yaml" not in warm
    assert not warm & {"pydantic", "pydantic_core", "rich"}
    report = json.loads((tmp_path / "out.json").read_text())
    assert any(f["rule_id"] == "SOV200" for f in report["findings"])  # the manifest was judged


def test_warm_manifest_scan_from_the_result_cache_imports_no_frontend_work(
    tmp_path: Path,
) -> None:
    """A staged manifest whose result is cached: neither the Kubernetes loader and builder
    nor the Terraform module walk and evaluator (no Terraform module is scanned)."""
    cold, warm = _imported_by_runs(tmp_path, files={"deploy.yaml": MANIFEST})
    assert "sovlint.frontends.kubernetes.objects" in cold
    assert "sovlint.frontends.terraform.evaluator" not in cold
    assert not warm & {"yaml", "sovlint.frontends.kubernetes.objects"}
    assert not warm & {
        "sovlint.frontends.terraform.modules",
        "sovlint.frontends.terraform.evaluator",
    }
    report = json.loads((tmp_path / "out.json").read_text())
    assert any(f["rule_id"] == "SOV200" for f in report["findings"])  # judged, from the cache


def test_warm_terraform_scan_from_the_result_cache_evaluates_nothing(tmp_path: Path) -> None:
    """A staged .tf whose root is cached (most pre-commit runs): the module walk and the
    evaluator are not even imported; the cold run needed them."""
    cold, warm = _imported_by_runs(tmp_path)
    walk = {"sovlint.frontends.terraform.modules", "sovlint.frontends.terraform.evaluator"}
    assert walk <= cold
    assert not warm & walk


def test_option_errors_are_still_typers(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MODULE)
    for value, message in (
        ("0", "Input should be greater than or equal to 1"),
        ("two", "Input should be a valid integer"),
    ):
        proc = run_cli(["scan", ".", "--jobs", value], cwd=tmp_path)
        assert proc.returncode == 2
        assert proc.stderr.startswith("sovlint: error: Invalid value for '--jobs' / '-j': ")
        assert message in proc.stderr
    proc = run_cli(["scan", ".", "--jobs", " 1", "-f", "json"], cwd=tmp_path)  # typer strips it
    assert proc.returncode == 1, proc.stderr


def test_compiled_catalog_is_the_loaded_catalog(tmp_path: Path) -> None:
    loaded = load_catalog()
    cache = Cache(tmp_path)
    cold = load_compiled(cache)
    warm = load_compiled(cache)
    assert list(tmp_path.rglob("catalog/*/*.json"))
    assert loaded == cold == warm
    assert decode(json.loads(json.dumps(encode(loaded)))) == loaded
    host = "s3.fr-par.scw.cloud"
    assert warm.match_host(host) == loaded.match_host(host)
    assert isinstance(warm.hosts[0].regex, LazyPattern)  # compiled on first use


def test_compiled_catalog_follows_the_data_and_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from sovlint.catalog import compiled

    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    monkeypatch.setattr(compiled, "policies_dir", lambda: policies)
    monkeypatch.setattr("sovlint.catalog.load.policies_dir", lambda: policies)
    cache = Cache(tmp_path / "cache")
    before = load_compiled(cache)
    laws = policies / "laws.yaml"
    laws.write_text(laws.read_text().replace("name:", "name: Edited", 1))
    after = load_compiled(cache)
    assert after != before
    assert any(law.name.startswith("Edited") for law in after.laws.values())
    override = tmp_path / "override.yaml"
    override.write_text(
        "hosts:\n  - match: registry.example.eu\n    operator: ovh\n    kind: registry\n"
        "    source: https://example.eu\n    as_of: 2026-01-01\n"
    )
    with_override = load_compiled(cache, [override])
    assert with_override.match_host("registry.example.eu") is not None
    assert load_compiled(cache).match_host("registry.example.eu") is None  # not cached in


def test_lazy_pattern_behaves_like_the_compiled_one() -> None:
    lazy = LazyPattern(r"^(?P<region>[a-z]+)-\d$", 0)
    import re

    assert lazy == re.compile(r"^(?P<region>[a-z]+)-\d$")
    assert lazy.match("fr-1") is not None and lazy.match("fr-x") is None
    assert "region" in lazy.groupindex
    assert lazy.sub("x", "fr-1") == "x"  # anything else goes to the compiled pattern
