"""`sovlint scan` on Kubernetes sources from the command line: stdin, exit codes, charts,
explicit template files and `.sovlint.yaml`'s allow_registries."""

from __future__ import annotations

import json
from pathlib import Path

from sovtest import FIXTURES, ROOT
from sovtest import run_cli as run

K8S = FIXTURES / "kubernetes"


def test_stdin_manifest_stream(tmp_path: Path) -> None:
    text = (K8S / "multi-doc" / "stream.yaml").read_text()
    proc = run(["scan", "-", "--format", "json"], tmp_path, stdin=text)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert [(f["rule_id"], f["file"], f["line"], f["address"]) for f in report["findings"]] == [
        ("SOV200", "<stdin>", 19, "Pod/shop/one/containers/c"),
        ("SOV200", "<stdin>", 28, "Pod/shop/two/containers/c"),
    ]
    assert report["summary"]["files"] == 1
    assert {i["address"] for i in report["inventory"]} == {
        "Namespace/shop",
        "Pod/shop/one",
        "Pod/shop/two",
    }


def test_stdin_json_and_a_directory_together(tmp_path: Path) -> None:
    (tmp_path / "sa.yaml").write_text(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  annotations:\n"
        "    iam.gke.io/gcp-service-account: a@p.iam.gserviceaccount.com\n"
    )
    doc = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},\n"spec": {"containers": [{"name": "c", "image": "nvcr.io/x/y:1"}]}}'
    proc = run(["scan", "-", ".", "--format", "json"], tmp_path, stdin=doc)
    assert proc.returncode == 1, proc.stderr
    found = [(f["rule_id"], f["file"], f["line"]) for f in json.loads(proc.stdout)["findings"]]
    assert found == [("SOV200", "<stdin>", 2), ("SOV202", "sa.yaml", 6)]


def test_broken_stdin_fails_even_with_fail_on_high(tmp_path: Path) -> None:
    proc = run(
        ["scan", "-", "--fail-on", "high"], tmp_path, stdin="apiVersion: v1\nkind: Pod\n\tx: 1\n"
    )
    assert proc.returncode == 1
    assert proc.stdout.startswith("<stdin>:3:1: SOV001 [high] <stdin>: invalid YAML")


def test_broken_manifest_exit_1_and_line() -> None:
    proc = run(["scan", "--fail-on", "high", "."], K8S / "broken")
    assert proc.returncode == 1
    assert "indent.yaml:14:1: SOV001 [high] indent.yaml: invalid YAML" in proc.stdout
    assert "duplicate.yaml:11:1: SOV001 [high] duplicate.yaml: duplicate key 'image'" in proc.stdout


def test_alias_bomb_from_the_command_line_is_fast() -> None:
    proc = run(["scan", "bomb.yaml"], K8S / "alias-bomb")
    assert proc.returncode == 1
    assert "bomb.yaml:3:1: SOV001" in proc.stdout and "alias bomb" in proc.stdout


def test_unrendered_chart_is_info_and_passes() -> None:
    proc = run(["scan", "."], K8S / "helm-chart")
    assert proc.stdout.startswith(
        "shop/Chart.yaml:1:1: SOV002 [info] shop: Helm chart shop (shop) is not rendered"
    )
    assert "SOV001" not in proc.stdout
    # SOV002 alone does not fail the run: only the images of its default values do (SOV200)
    only_info = run(["scan", "--ignore", "SOV200", "."], K8S / "helm-chart")
    assert only_info.returncode == 0, only_info.stdout + only_info.stderr
    assert (
        run(["scan", "--fail-on", "info", "--ignore", "SOV200", "."], K8S / "helm-chart").returncode
        == 1
    )


def test_template_file_argument_is_never_parsed() -> None:
    chart = K8S / "helm-chart"
    proc = run(["scan", "shop/templates/serviceaccount.yaml", "--format", "json"], chart)
    report = json.loads(proc.stdout)
    assert [
        (f["rule_id"], f["file"], f["address"])
        for f in report["findings"]
        if f["rule_id"] != "SOV200"
    ] == [("SOV002", "shop/Chart.yaml", "shop")]
    assert all(f["file"].endswith("values.yaml") for f in report["findings"][1:])


def test_allow_registries_from_config(tmp_path: Path) -> None:
    (tmp_path / ".sovlint.yaml").write_text("allow_registries: [rg.fr-par.scw.cloud]\n")
    (tmp_path / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
        "    - {name: a, image: rg.fr-par.scw.cloud/acme/a:1}\n"
        "    - {name: b, image: harbor.internal.example/acme/b:1}\n"
    )
    proc = run(["scan", "--format", "json", "."], tmp_path)
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert [(f["rule_id"], f["line"], f["address"]) for f in report["findings"]] == [
        ("SOV200", 8, "Pod/p/containers/b")
    ]
    assert report["profile"]["allow_registries"] == ["rg.fr-par.scw.cloud"]


def test_explain_kubernetes_rules() -> None:
    for rule_id in ("SOV002", "SOV201", "SOV202"):
        proc = run(["explain", rule_id], ROOT)
        assert proc.returncode == 0
        assert "Applies to: kubernetes;" in proc.stdout
    # Images and egress are judged in Compose files too (the compose frontend).
    assert "Applies to: kubernetes, compose;" in run(["explain", "SOV200"], ROOT).stdout
    assert "Applies to: terraform, kubernetes, compose;" in run(["explain", "SOV203"], ROOT).stdout


def test_the_chart_templates_are_not_yaml() -> None:
    # what makes "templates never yield SOV001" mean something: parsed, they would
    from sovlint.frontends.kubernetes.stream import parse_stream

    templates = sorted((K8S / "helm-chart" / "shop" / "templates").glob("*.yaml"))
    assert len(templates) == 3
    for template in templates:
        _docs, error = parse_stream(template.read_text(), False)
        assert error is not None, template
