"""The Checkov extension: CKV_SOV_<n> checks give sovlint's verdicts inside Checkov.

Unit tests (always run): Checkov's conf dicts (bc-python-hcl2 shape) converted
to sovlint's HCL model give the same findings as sovlint's own parser, and the
address conventions map both ways.

Integration tests (need a real Checkov in its own environment): set
SOVLINT_CHECKOV to its executable, e.g.
    python3 -m venv /tmp/checkov-venv && /tmp/checkov-venv/bin/pip install checkov==3.3.30
    SOVLINT_CHECKOV=/tmp/checkov-venv/bin/checkov python3 -m pytest tests/test_checkov_extension.py
Checkov runs as a subprocess with `--external-checks-dir "$(sovlint checkov-dir)"`; sovlint
is never installed into its environment (both own the `hcl2` module).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sovlint
from sovlint.frontends.terraform.checkov_conf import block_from_vertex, body_from_conf, value_expr
from sovlint.frontends.terraform.facts import ModuleInput, build_facts, build_module
from sovlint.hclmodel import (
    Body,
    Document,
    Expression,
    Literal,
    ObjectExpr,
    Template,
    TupleExpr,
)
from sovlint.integrations.checkov import (
    KUBERNETES_CHECKS,
    TERRAFORM_CHECKS,
    check_id,
    checkov_name,
    rule_id,
    sovlint_address,
)
from sovlint.integrations.checkov.addresses import split_module_prefix
from sovlint.integrations.checkov.graph import module_instance
from sovlint.model import Finding
from sovlint.profiles import load_profile
from sovlint.rules import REGISTRY
from sovlint.rules.base import Context
from sovtest import FIXTURES, ROOT, catalog, run_scan

# -- unit: the converter ---------------------------------------------------------------


def test_attribute_values_are_unwrapped_and_typed() -> None:
    body = body_from_conf(
        {
            "__start_line__": 3,
            "__end_line__": 9,
            "region": ["eu-west-3"],
            "size": [10],
            "enabled": [True],
            "zones": [["fr-par-1", "fr-par-2"]],
            "tags": [{"env": "prod", "team": "infra"}],
            "unresolved": ["var.region"],
            "call": ['lookup(var.regions,"primary","fr-par")'],
            "resource_ref": ["aws_vpc.main.id"],
            "template": ["bucket-${var.env}"],
            "reference": ["${aws.west}"],
            "__address__": "x.y",
        },
        3,
    )
    attrs = body.attributes
    assert set(attrs) == {
        "region",
        "size",
        "enabled",
        "zones",
        "tags",
        "unresolved",
        "call",
        "resource_ref",
        "template",
        "reference",
    }
    assert attrs["region"].value == Literal("eu-west-3", 3)
    assert attrs["size"].value == Literal(10, 3)
    assert attrs["enabled"].value == Literal(True, 3)
    assert attrs["zones"].value == TupleExpr((Literal("fr-par-1", 3), Literal("fr-par-2", 3)), 3)
    assert attrs["tags"].value == ObjectExpr(
        (("env", Literal("prod", 3)), ("team", Literal("infra", 3))), 3
    )
    # What Checkov could not evaluate comes back as an expression: unresolved, never a region name.
    assert attrs["unresolved"].value == Expression("var.region", 3)
    assert attrs["call"].value == Expression('lookup(var.regions,"primary","fr-par")', 3)
    assert attrs["resource_ref"].value == Expression("aws_vpc.main.id", 3)
    assert attrs["template"].value == Template("bucket-${var.env}", 3)
    assert attrs["reference"].value == Expression("aws.west", 3)
    assert all(a.line == 3 for a in attrs.values())


def test_nested_labelled_and_map_blocks() -> None:
    terraform = block_from_vertex(
        "terraform",
        {
            "__start_line__": 1,
            "__end_line__": 14,
            "required_providers": [
                {"aws": [{"source": "hashicorp/aws", "configuration_aliases": ["${aws.west}"]}]}
            ],
            "backend": [{"s3": {"bucket": ["state"], "region": ["eu-west-3"]}}],
        },
    )
    assert terraform is not None
    assert (terraform.type, terraform.labels, terraform.line, terraform.end_line) == (
        "terraform",
        [],
        1,
        14,
    )
    (required,) = terraform.body.blocks_of("required_providers")
    aws = required.body.attr("aws")
    assert aws is not None and isinstance(aws.value, ObjectExpr)
    assert aws.value.get("source") == Literal("hashicorp/aws", 1)
    (backend,) = terraform.body.blocks_of("backend")
    assert backend.labels == ["s3"]
    assert backend.body.attr("region") is not None

    provider = block_from_vertex(
        "provider",
        {
            "aws": {
                "__start_line__": 10,
                "__end_line__": 18,
                "endpoints": [{"s3": ["https://s3.fr-par.scw.cloud"]}],
                "region": ["fr-par"],
                "__address__": "aws.default",
            }
        },
    )
    assert provider is not None and provider.labels == ["aws"]
    (endpoints,) = provider.body.blocks_of("endpoints")
    assert endpoints.body.attr("s3") is not None
    assert "endpoints" not in provider.body.attributes

    resource = block_from_vertex(
        "resource",
        {
            "aws_instance": {
                "web": {
                    "__start_line__": 20,
                    "__end_line__": 30,
                    "ebs_block_device": [
                        {"device_name": ["/dev/sdb"]},
                        {"device_name": ["/dev/sdc"]},
                    ],
                    "dynamic": [{"tag": {"for_each": ["${var.tags}"], "content": [{}]}}],
                }
            }
        },
    )
    assert resource is not None and resource.labels == ["aws_instance", "web"]
    assert len(resource.body.blocks_of("ebs_block_device")) == 2
    (dynamic,) = resource.body.blocks_of("dynamic")
    assert dynamic.labels == ["tag"]


def test_values_that_look_like_blocks_in_blocks_without_them() -> None:
    """`default = {}` and `lifecycle {}` parse alike (`[{}]`), and an object of lists
    (`default = { eu = ["a"] }`) like a block body: a variable, output, module or locals
    block has no nested block of those names, so they are values there."""
    from sovlint.frontends.terraform.checkov_conf import block_from_conf

    variable = block_from_conf(
        "variable",
        ["regions"],
        {
            "__start_line__": 1,
            "__end_line__": 9,
            "default": [{"eu": ["fr-par", "nl-ams"]}],
            "validation": [{"condition": ["${length(var.regions) > 0}"]}],
        },
    )
    default = variable.body.attr("default")
    assert default is not None and isinstance(default.value, ObjectExpr)
    assert len(variable.body.blocks_of("validation")) == 1
    empty = block_from_conf("variable", ["items"], {"__start_line__": 1, "default": [{}]})
    assert empty.body.attr("default") is not None and not empty.body.blocks_of("default")
    module = block_from_conf(
        "module", ["net"], {"__start_line__": 1, "tags": [{}], "zones": [{"a": ["z"]}]}
    )
    assert set(module.body.attributes) == {"tags", "zones"} and not module.body.blocks
    resource = block_from_conf("resource", ["aws_s3_bucket", "b"], {"lifecycle": [{}]})
    assert len(resource.body.blocks_of("lifecycle")) == 1  # elsewhere still a block


def test_module_call_providers_map() -> None:
    module = block_from_vertex(
        "module",
        {
            "replica": {
                "__start_line__": 24,
                "__end_line__": 30,
                "providers": [{"aws": "aws.us", "aws.west": "${aws}"}],
                "source": ["./modules/replica"],
                "__resolved__": ["tf_source_modules:{}"],
                "__address__": "replica",
            }
        },
    )
    assert module is not None
    _facts, calls, _evaluator, _builder = build_module(
        ModuleInput("root", [Document("main.tf", Body(blocks=[module]))]), catalog()
    )
    (call,) = calls
    assert (call.address, call.source) == ("module.replica", "./modules/replica")
    assert call.providers == {
        "provider.aws": "provider.aws.us",
        "provider.aws.west": "provider.aws",
    }


def test_value_expr_keeps_escaped_dollar() -> None:
    assert value_expr("literal $${not_a_ref}", 1) == Literal("literal $${not_a_ref}", 1)


KUBE_TEXT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations:
    checkov.io/skip1: CKV_K8S_8=probes later
    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/x
spec:
  template:
    spec:
      nodeSelector:
        topology.kubernetes.io/region: us-east-1
      containers:
        - name: app
          image: ghcr.io/acme/app:1
          env:
            - name: LLM
              value: https://api.openai.com/v1
        - name: eu
          image: rg.fr-par.scw.cloud/acme/eu:1
"""

# The same object as Checkov hands it to a check: lines on mappings only, annotations
# rewritten into a list by Checkov's skip parser.
KUBE_CONF: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {
        "name": "web",
        "namespace": "shop",
        "annotations": [
            {
                "checkov.io/skip1": "CKV_K8S_8=probes later",
                "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/x",
                "__startline__": 7,
                "__endline__": 9,
            }
        ],
        "__startline__": 4,
        "__endline__": 9,
    },
    "spec": {
        "template": {
            "spec": {
                "nodeSelector": {
                    "topology.kubernetes.io/region": "us-east-1",
                    "__startline__": 13,
                    "__endline__": 14,
                },
                "containers": [
                    {
                        "name": "app",
                        "image": "ghcr.io/acme/app:1",
                        "env": [
                            {
                                "name": "LLM",
                                "value": "https://api.openai.com/v1",
                                "__startline__": 18,
                                "__endline__": 20,
                            }
                        ],
                        "__startline__": 15,
                        "__endline__": 20,
                    },
                    {
                        "name": "eu",
                        "image": "rg.fr-par.scw.cloud/acme/eu:1",
                        "__startline__": 20,
                        "__endline__": 22,
                    },
                ],
                "__startline__": 12,
                "__endline__": 22,
            },
            "__startline__": 11,
            "__endline__": 22,
        },
        "__startline__": 10,
        "__endline__": 22,
    },
    "__startline__": 1,
    "__endline__": 22,
}


SA_TEXT = """apiVersion: v1
kind: ServiceAccount
metadata:
  name: uploader
  namespace: shop
  annotations:
    checkov.io/skip1: CKV_K8S_21=default namespace on purpose
    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/x
"""

SA_CONF: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "ServiceAccount",
    "metadata": {
        "name": "uploader",
        "namespace": "shop",
        "annotations": [
            {
                "checkov.io/skip1": "CKV_K8S_21=default namespace on purpose",
                "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/x",
                "__startline__": 7,
                "__endline__": 8,
            }
        ],
        "__startline__": 4,
        "__endline__": 8,
    },
    "__startline__": 1,
    "__endline__": 8,
}


@pytest.mark.parametrize(
    ("text", "conf", "profile", "rules"),
    [
        (KUBE_TEXT, KUBE_CONF, "sovereign-eu", {"SOV200", "SOV201", "SOV203"}),
        # residency-eu: the ghcr.io image is an acceptable operator in no known country (SOV103)
        (KUBE_TEXT, KUBE_CONF, "residency-eu", {"SOV103", "SOV201", "SOV203"}),
        (SA_TEXT, SA_CONF, "sovereign-eu", {"SOV202"}),
    ],
)
def test_kubernetes_conf_dict_judges_like_the_manifest(
    text: str, conf: dict[str, Any], profile: str, rules: set[str]
) -> None:
    """Checkov's object dict, converted, gives the findings sovlint's own reading of the same
    manifest gives (annotations merged back from Checkov's list form)."""
    from sovlint.frontends.kubernetes.checkov_conf import to_node
    from sovlint.frontends.kubernetes.objects import LineMap, build_object, object_roots
    from sovlint.frontends.kubernetes.stream import parse_stream
    from sovlint.model import FactSet

    docs, error = parse_stream(text, False)
    assert error is None
    ((root, api, kind),) = list(object_roots(docs[0].root))
    parsed = build_object(root, api, kind, LineMap("app.yaml"))
    ((croot, capi, ckind),) = list(object_roots(to_node(conf)))
    converted = build_object(croot, capi, ckind, LineMap("app.yaml"))
    ctx = Context(catalog(), load_profile(profile, catalog()))

    def judged(obj: Any) -> list[tuple[str, str]]:
        facts = FactSet(unit="k8s", k8s_objects=[obj])
        return sorted(
            (f.rule_id, f.address)
            for rule in REGISTRY.values()
            if rule.check
            for f in rule.check(facts, ctx)
        )

    assert converted.address == parsed.address
    assert (converted.span.line, converted.span.last_line) == (1, conf["__endline__"])
    assert judged(converted) == judged(parsed)
    assert {rule for rule, _ in judged(parsed)} == rules


# The sov100 and aws-endpoint-scaleway fixtures as Checkov's graph holds them (bc-python-hcl2 shape).
VERTICES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "sov100-aws-eu-west-3": [
        (
            "terraform",
            {
                "__start_line__": 1,
                "__end_line__": 8,
                "required_providers": [
                    {
                        "aws": [
                            {"source": "registry.opentofu.org/hashicorp/aws", "version": "~> 5.0"}
                        ]
                    }
                ],
            },
        ),
        (
            "provider",
            {
                "aws": {
                    "__start_line__": 10,
                    "__end_line__": 12,
                    "region": ["eu-west-3"],
                    "__address__": "aws.default",
                }
            },
        ),
        (
            "resource",
            {
                "aws_s3_bucket": {
                    "reports": {
                        "__start_line__": 14,
                        "__end_line__": 16,
                        "bucket": ["ministry-reports"],
                        "__address__": "aws_s3_bucket.reports",
                        "__provider_address__": "aws.default",
                    }
                }
            },
        ),
        (
            "data",
            {
                "aws_caller_identity": {
                    "current": {
                        "__start_line__": 18,
                        "__end_line__": 18,
                        "__address__": "aws_caller_identity.current",
                    }
                }
            },
        ),
    ],
    "aws-endpoint-scaleway": [
        (
            "terraform",
            {
                "__start_line__": 1,
                "__end_line__": 7,
                "required_providers": [{"aws": [{"source": "hashicorp/aws"}]}],
            },
        ),
        (
            "provider",
            {
                "aws": {
                    "__start_line__": 10,
                    "__end_line__": 18,
                    "endpoints": [{"s3": ["https://s3.fr-par.scw.cloud"]}],
                    "region": ["fr-par"],
                    "skip_credentials_validation": [True],
                    "skip_region_validation": [True],
                    "skip_requesting_account_id": [True],
                    "__address__": "aws.default",
                }
            },
        ),
        (
            "resource",
            {
                "aws_s3_bucket": {
                    "backups": {
                        "__start_line__": 20,
                        "__end_line__": 22,
                        "bucket": ["backups"],
                        "__address__": "aws_s3_bucket.backups",
                    }
                }
            },
        ),
        (
            "resource",
            {
                "aws_instance": {
                    "bastion": {
                        "__start_line__": 25,
                        "__end_line__": 28,
                        "ami": ["ami-12345678"],
                        "instance_type": ["t3.micro"],
                        "__address__": "aws_instance.bastion",
                    }
                }
            },
        ),
    ],
    "sov203-egress": [
        (
            "terraform",
            {
                "__start_line__": 1,
                "__end_line__": 7,
                "required_providers": [{"scaleway": [{"source": "scaleway/scaleway"}]}],
            },
        ),
        (
            "resource",
            {
                "scaleway_container": {
                    "api": {
                        "__start_line__": 13,
                        "__end_line__": 23,
                        "environment_variables": [
                            {
                                "DD_SITE": "datadoghq.eu",
                                "INTERNAL_API": "https://api.internal.example.fr",
                                "OPENAI_BASE_URL": "https://api.openai.com/v1",
                                "SENTRY_DSN": "https://abc@o1.ingest.de.sentry.io/42",
                            }
                        ],
                        "name": ["api"],
                        "namespace_id": ["11111111-1111-1111-1111-111111111111"],
                        "region": ["fr-par"],
                        "__address__": "scaleway_container.api",
                    }
                }
            },
        ),
    ],
}


def _judge(documents: list[Document], profile: str) -> list[Finding]:
    facts = build_facts(ModuleInput("unit", documents), catalog())
    ctx = Context(catalog(), load_profile(profile, catalog()))
    return [f for rule in REGISTRY.values() if rule.check for f in rule.check(facts, ctx)]


@pytest.mark.parametrize(
    ("case", "profile", "clean"),
    [
        ("sov100-aws-eu-west-3", "sovereign-eu", False),
        ("sov100-aws-eu-west-3", "secnumcloud", False),
        ("sov100-aws-eu-west-3", "residency-eu", True),  # AWS in Paris: residency holds
        ("aws-endpoint-scaleway", "sovereign-eu", False),
        ("aws-endpoint-scaleway", "secnumcloud", False),
        ("sov203-egress", "sovereign-eu", False),
        ("sov203-egress", "residency-eu", False),
    ],
)
def test_converted_conf_dicts_judge_like_sovlint_scan(case: str, profile: str, clean: bool) -> None:
    """Same rules, same catalog: Checkov's dicts give the findings sovlint's own parser gives
    (lines are block lines: Checkov's dicts carry no attribute lines)."""
    directory = FIXTURES / "terraform" / case
    blocks = [block_from_vertex(kind, config) for kind, config in VERTICES[case]]
    assert all(b is not None for b in blocks)
    doc = Document("main.tf", Body(blocks=[b for b in blocks if b is not None]))
    converted = _judge([doc], profile)
    scanned = run_scan(directory, profile).findings
    assert bool(scanned) is not clean
    assert sorted((f.rule_id, f.address) for f in converted) == sorted(
        (f.rule_id, f.address) for f in scanned
    )
    spans = {b.labels[-1]: (b.line, b.end_line) for b in blocks if b is not None and b.labels}
    for f in converted:
        assert f.file == "main.tf"
        assert f.line == f.block_line
    for f in scanned:
        name = f.address.rsplit(".", 1)[-1].replace("provider", "aws")
        if name in spans:
            start, end = spans[name]
            assert start <= f.line <= end


# -- unit: names and module instances ------------------------------------------------------


@pytest.mark.parametrize(
    ("block_type", "checkov", "sovlint_"),
    [
        ("resource", "aws_s3_bucket.a", "aws_s3_bucket.a"),
        ("resource", 'aws_s3_bucket.each["x"]', 'aws_s3_bucket.each["x"]'),
        ("resource", "module.net.aws_vpc.v", "module.net.aws_vpc.v"),
        ("data", "aws_region.here", "data.aws_region.here"),
        ("data", 'module.many["a.b"].aws_region.here', 'module.many["a.b"].data.aws_region.here'),
        ("provider", "aws.default", "provider.aws"),
        ("provider", "aws.us", "provider.aws.us"),
        ("provider", "module.one.scaleway.default", "module.one.provider.scaleway"),
        ("module", "storage", "module.storage"),
        ("module", "module.storage.disk", "module.storage.module.disk"),
        ("module", "counted[0]", "module.counted[0]"),
    ],
)
def test_addresses_map_both_ways(block_type: str, checkov: str, sovlint_: str) -> None:
    assert sovlint_address(block_type, checkov) == sovlint_
    assert checkov_name(sovlint_) == checkov


def test_split_module_prefix() -> None:
    assert split_module_prefix('module.a.module.b["x.y"].t_y.n') == (
        'module.a.module.b["x.y"].',
        "t_y.n",
    )
    assert split_module_prefix("module.net") == ("", "module.net")


def test_module_instance_from_checkov_tfmodule() -> None:
    text = (
        "path:/r/modules/storage/main.tf, name:disk, nested_tf_module:"
        '{"path": "/r/main.tf", "name": "storage", "foreach_idx": "eu", "nested_tf_module": null}'
        ", foreach_idx:0"
    )
    assert module_instance(text) == ("/r/main.tf", ('storage["eu"]', "disk[0]"))
    assert module_instance({"path": "/r/main.tf", "name": "a", "nested_tf_module": None}) == (
        "/r/main.tf",
        ("a",),
    )
    assert module_instance("not a module") is None


def test_check_ids() -> None:
    assert check_id("SOV101") == "CKV_SOV_101" and rule_id("CKV_SOV_101") == "SOV101"
    assert "SOV105" not in TERRAFORM_CHECKS  # the backend lives in terraform {}, never shown
    assert set(TERRAFORM_CHECKS) <= set(REGISTRY)


def test_checkov_dir_command_points_into_the_package() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "sovlint", "checkov-dir"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    directory = Path(out)
    assert directory == Path(sovlint.__file__).resolve().parent / "checkov_checks"
    assert (directory / "__init__.py").is_file()
    assert sorted(p.name for p in directory.glob("sovlint_*.py"))


def test_core_loaded_by_path_imports_no_third_party_parser() -> None:
    """What the checks load into Checkov's process: the sovlint core, by path, with nothing
    added to sys.path and no hcl2/lark/typer import (they would clash with Checkov's)."""
    package = Path(sovlint.__file__).resolve().parent
    code = f"""
import importlib, importlib.util, sys
before = list(sys.path)
spec = importlib.util.spec_from_file_location(
    "sovlint", {str(package / "__init__.py")!r}, submodule_search_locations=[{str(package)!r}])
mod = importlib.util.module_from_spec(spec); sys.modules["sovlint"] = mod; spec.loader.exec_module(mod)
importlib.import_module("sovlint.integrations.checkov")
importlib.import_module("sovlint.frontends.terraform.modules")
importlib.import_module("sovlint.engine")
assert sys.path == before, sys.path
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("hcl2", "lark", "typer", "click", "checkov"))
assert not bad, bad
print("ok")
"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, env=env, cwd="/"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


# -- integration: the real Checkov ----------------------------------------------------------


def _checkov() -> Path:
    value = os.environ.get("SOVLINT_CHECKOV", "")
    if not value:
        pytest.skip("SOVLINT_CHECKOV is not set (path to a checkov executable in its own venv)")
    path = Path(value)
    if not (path.is_file() and os.access(path, os.X_OK)):
        found = shutil.which(value)
        if not found:
            pytest.skip(f"SOVLINT_CHECKOV={value}: no such executable")
        path = Path(found)
    return path


@pytest.fixture(scope="module")
def checkov() -> Path:
    return _checkov()


@pytest.fixture(scope="module")
def checks_dir() -> Path:
    out = subprocess.run(
        [sys.executable, "-m", "sovlint", "checkov-dir"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


def _env(**extra: str) -> dict[str, str]:
    """Checkov's environment: nothing of sovlint's (no PYTHONPATH), no network, no telemetry."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "SOVLINT_PROFILE", "BC_API_KEY")
    }
    env["CKV_SKIP_PACKAGE_UPDATE_CHECK"] = "true"
    env.update(extra)
    return env


def _limit_memory() -> None:
    """Checkov expands YAML aliases while loading: never let it take the CI host down."""
    import resource

    limit = 6 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_checkov(
    checkov: Path, args: list[str], cwd: Path, **env: str
) -> tuple[int, list[dict[str, Any]], str]:
    proc = subprocess.run(
        [str(checkov), *args, "--skip-download", "-o", "json", "--compact"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_env(**env),
        timeout=600,
        preexec_fn=_limit_memory,
    )
    # One JSON document per -d directory: a report, or a list of reports (one per framework).
    reports: list[dict[str, Any]] = []
    decoder, text, pos = json.JSONDecoder(), proc.stdout, 0
    try:
        while text[pos:].strip():
            pos += len(text[pos:]) - len(text[pos:].lstrip())
            data, pos = decoder.raw_decode(text, pos)
            reports.extend(data if isinstance(data, list) else [data])
    except ValueError:
        pytest.fail(
            f"checkov output is not JSON (exit {proc.returncode}):\n{text[-2000:]}\n{proc.stderr[-4000:]}"
        )
    assert reports, f"no report from checkov (exit {proc.returncode}):\n{proc.stderr[-4000:]}"
    return proc.returncode, reports, proc.stderr


def records(reports: list[dict[str, Any]], kind: str) -> Iterator[dict[str, Any]]:
    for report in reports:
        yield from report.get("results", {}).get(f"{kind}_checks", [])


def test_checkov_version_and_hcl2_guard(checkov: Path) -> None:
    proc = subprocess.run(
        [str(checkov), "--version"], capture_output=True, text=True, env=_env(), timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert re.match(r"^\d+\.\d+\.\d+", proc.stdout.strip())
    python = checkov.parent / "python"
    if not python.exists():
        pytest.skip(f"no python next to {checkov}: cannot inspect Checkov's environment")
    probe = subprocess.run(
        [
            str(python),
            "-c",
            "import hcl2, importlib.util as u; from hcl2 import START_LINE; "
            "print(START_LINE); print(u.find_spec('sovlint') is None)",
        ],
        capture_output=True,
        text=True,
        env=_env(),
        cwd="/",
    )
    # Checkov's hcl2 is bc-python-hcl2 (it has START_LINE), and sovlint is not installed there.
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split() == ["__start_line__", "True"]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


AWS = """terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = "eu-west-3"
}
"""


def test_builtin_checks_skip_comment_and_checkov_yaml(
    checkov: Path, checks_dir: Path, tmp_path: Path
) -> None:
    """One run configured by .checkov.yaml: Checkov's own checks still run next to ours, and
    `#checkov:skip=CKV_SOV_101:reason` (Terraform) or a `checkov.io/skip1` annotation
    (Kubernetes) skips ours on that entity only."""
    (tmp_path / ".git").mkdir()
    _write(tmp_path / ".checkov.yaml", f"external-checks-dir:\n  - {checks_dir}\n")
    _write(
        tmp_path / "main.tf",
        AWS
        + """
resource "aws_s3_bucket" "kept" {
  bucket = "kept"
}

resource "aws_s3_bucket" "excepted" {
  #checkov:skip=CKV_SOV_101:replica approved by the DPO, ticket 42
  bucket = "excepted"
}
""",
    )
    _write(
        tmp_path / "k8s" / "pods.yaml",
        """apiVersion: v1
kind: Pod
metadata:
  name: kept
spec:
  containers:
    - name: c
      image: gcr.io/acme/app:1
---
apiVersion: v1
kind: Pod
metadata:
  name: excepted
  annotations:
    checkov.io/skip1: CKV_SOV_200=mirrored to the EU registry next sprint
spec:
  containers:
    - name: c
      image: gcr.io/acme/app:1
""",
    )
    args = ["-d", ".", "--framework", "terraform", "kubernetes"]
    code, reports, stderr = run_checkov(checkov, args, tmp_path)
    assert code == 1, stderr
    failed = {(r["check_id"], r["resource"]) for r in records(reports, "failed")}
    skipped = {
        (r["check_id"], r["resource"]): r["check_result"].get("suppress_comment")
        for r in records(reports, "skipped")
    }
    builtin = {c for c, _ in failed if c.startswith(("CKV_AWS_", "CKV2_AWS_"))}
    assert builtin, "Checkov's built-in AWS checks must still run"
    assert {c for c, _ in failed if c.startswith("CKV_K8S_")}, "and its Kubernetes checks"
    assert ("CKV_SOV_200", "Pod.default.kept") in failed
    assert ("CKV_SOV_200", "Pod.default.excepted") not in failed
    assert skipped[("CKV_SOV_200", "Pod.default.excepted")] == (
        "mirrored to the EU registry next sprint"
    )
    assert ("CKV_SOV_101", "aws_s3_bucket.kept") in failed
    assert ("CKV_SOV_100", "aws.default") in failed
    assert ("CKV_SOV_101", "aws_s3_bucket.excepted") not in failed
    assert skipped[("CKV_SOV_101", "aws_s3_bucket.excepted")] == (
        "replica approved by the DPO, ticket 42"
    )
    sov = [r for r in records(reports, "failed") if r["check_id"] == "CKV_SOV_101"]
    assert sov[0]["severity"] == "HIGH"
    assert sov[0]["details"] and sov[0]["details"][0].startswith(
        "SOV101: resource aws_s3_bucket.kept"
    )
    assert sov[0]["guideline"] == REGISTRY["SOV101"].meta.help_uri


def test_profile_from_sovlint_yaml_and_environment(
    checkov: Path, checks_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    _write(tmp_path / "residency" / ".sovlint.yaml", "profile: residency-eu\n")
    _write(tmp_path / "residency" / "main.tf", AWS)
    _write(tmp_path / "default" / "main.tf", AWS)
    _write(tmp_path / "broken" / ".sovlint.yaml", "profile: residency-eu\nno_such_key: 1\n")
    _write(tmp_path / "broken" / "main.tf", AWS)
    args = ["-d", ".", "--framework", "terraform", "--external-checks-dir", str(checks_dir)]
    args += ["--check", "CKV_SOV_100"]

    _code, reports, stderr = run_checkov(checkov, args, tmp_path)
    results = {
        r["file_path"]: (r["check_result"]["result"], r.get("details") or [])
        for kind in ("passed", "failed")
        for r in records(reports, kind)
    }
    assert results["/residency/main.tf"][0] == "PASSED", stderr
    assert results["/default/main.tf"][0] == "FAILED"
    # A broken configuration fails closed, saying why, instead of silently passing.
    status, details = results["/broken/main.tf"]
    assert status == "FAILED"
    assert "sovlint configuration error" in details[0] and "no_such_key" in details[0]

    _code, reports, stderr = run_checkov(checkov, args, tmp_path, SOVLINT_PROFILE="sovereign-eu")
    failed = {r["file_path"] for r in records(reports, "failed")}
    assert "/residency/main.tf" in failed, stderr


# -- integration: parity with `sovlint scan` ------------------------------------------------

_PREFIX = re.compile(r"^((?:module\.[^.\[\]]+(?:\[[^\]]*\])?\.)*)(.*)$")


def expected_name(address: str) -> str:
    """sovlint address -> Checkov resource name, written independently of the bridge."""
    m = _PREFIX.match(address)
    assert m is not None
    prefix, local = m.groups()
    if local.startswith("data."):
        local = local[len("data.") :]
    elif local.startswith("provider."):
        name, _, alias = local[len("provider.") :].partition(".")
        local = f"{name}.{alias or 'default'}"
    elif local.startswith("module."):
        local = local[len("module.") :]
    return prefix + local


# Files Checkov's Terraform runner does not parse: OpenTofu files, JSON (.tf.json, plans,
# state), modules under .terraform/ (not loaded without --download-external-modules).
NOT_PARSED_BY_CHECKOV = re.compile(r"(\.tofu|\.json)$|/\.terraform/")
# The fixture trees compared (fixtures/hostile holds parser attacks, for sovlint alone).
PARITY_TREES = ("terraform", "kubernetes", "demo")
# Checkov's YAML loader expands aliases: the billion-laughs fixture would exhaust its memory
# (sovlint refuses it: SOV001). Nothing else is skipped.
CHECKOV_SKIP = "alias-bomb"
ALL_CHECKS = set(TERRAFORM_CHECKS) | set(KUBERNETES_CHECKS)
_K8S_SECTIONS = ("containers", "initContainers", "ephemeralContainers", "images")


def is_kubernetes(address: str) -> bool:
    return "/" in address and "." not in address.split("/", 1)[0]


def kubernetes_name(address: str, objects: frozenset[str] = frozenset()) -> str:
    """`Kind/ns/name[/containers/c]` -> Checkov's `Kind.ns.name` (namespace `default` if none).
    With `objects` (the object addresses of sovlint's inventory), the finding's object is the
    longest of them the address starts with (`Task/ci/build/steps/compile` -> `Task/ci/build`)."""
    owner = max(
        (o for o in objects if address == o or address.startswith(f"{o}/")), key=len, default=None
    )
    parts = (owner or address).split("/")
    if owner is None and len(parts) >= 4 and parts[-2] in _K8S_SECTIONS:
        parts = parts[:-2]
    kind, *rest = parts
    namespace, name = (rest[0], rest[1]) if len(rest) == 2 else ("default", "/".join(rest))
    return f"{kind}.{namespace}.{name}"


def display(path: str) -> str:
    """A path as `sovlint scan` run from the repository prints it."""
    absolute = Path(path).resolve()
    return absolute.relative_to(ROOT).as_posix() if absolute.is_relative_to(ROOT) else str(absolute)


def sovlint_report(profile: str, targets: list[Path]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "sovlint", "scan", *map(str, targets), "-p", profile, "-f", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode in (0, 1), proc.stderr
    report: dict[str, Any] = json.loads(proc.stdout)
    return report


PROFILES = ("sovereign-eu", "residency-eu", "secnumcloud")


class Parity:
    """Checkov's CKV_SOV results and `sovlint scan`'s findings on the same fixtures (Terraform
    and Kubernetes), side by side: entities are (repository-relative file, Checkov name)."""

    def __init__(
        self, checkov: Path, checks_dir: Path, profile: str, targets: list[Path] | None = None
    ) -> None:
        targets = targets or [FIXTURES / tree for tree in PARITY_TREES]
        args = [a for t in targets for a in ("-d", str(t))]
        args += ["--framework", "terraform", "kubernetes"]
        args += ["--check", "CKV_SOV_*", "--skip-path", CHECKOV_SKIP]
        args += ["--external-checks-dir", str(checks_dir)]
        _code, reports, self.stderr = run_checkov(checkov, args, ROOT, SOVLINT_PROFILE=profile)
        self.ranges: dict[tuple[str, str], tuple[int, int]] = {}
        self.kinds: dict[tuple[str, str], set[str]] = {}
        self.got: dict[str, set[tuple[str, str, str]]] = {"failed": set(), "skipped": set()}
        self.details: dict[tuple[str, str, str], list[str]] = {}
        for kind in ("passed", "failed", "skipped"):
            for r in records(reports, kind):
                assert r["check_id"].startswith("CKV_SOV_")
                entity = (display(r["file_abs_path"]), r["resource"])
                start, end = r["file_line_range"]
                self.ranges[entity] = (start, end)
                self.kinds.setdefault(entity, set()).add(r["check_id"])
                key = (rule_id(r["check_id"]), *entity)
                if kind in self.got:
                    self.got[kind].add(key)
                self.details[key] = r.get("details") or []
        report = sovlint_report(profile, targets)
        all_findings: list[dict[str, Any]] = report["findings"]
        self.objects = frozenset(
            i["address"] for i in report["inventory"] if i["kind"] == "kubernetes"
        )
        self.broken = {f["file"] for f in all_findings if f["rule_id"] == "SOV001"}
        self.findings = [f for f in all_findings if f["rule_id"] in ALL_CHECKS]
        self.expected: dict[str, set[tuple[str, str, str]]] = {"failed": set(), "skipped": set()}
        self.unseen: list[dict[str, Any]] = []
        for f in self.findings:
            entity = (f["file"], self.name(f))
            if entity not in self.ranges:
                self.unseen.append(f)
                continue
            self.expected["skipped" if f["suppressed"] else "failed"].add((f["rule_id"], *entity))
        self.expected["skipped"] -= self.expected["failed"]

    def name(self, f: dict[str, Any]) -> str:
        address: str = f["address"]
        if is_kubernetes(address):
            return kubernetes_name(address, self.objects)
        return expected_name(address)

    def rehomed(self, f: dict[str, Any]) -> tuple[str, str, str]:
        """Where SOV106 on a provider declared only in required_providers is reported in
        Checkov: the first resource or data source (a CKV_SOV_101 entity) using it."""
        m = _PREFIX.match(f["address"])
        assert m is not None
        prefix, local = m.groups()
        provider = local[len("provider.") :].split(".")[0]
        directory = f["file"].rsplit("/", 1)[0]
        users = sorted(
            (self.ranges[e][0], e)
            for e in self.ranges
            if "CKV_SOV_101" in self.kinds[e]
            and e[0].rsplit("/", 1)[0] == directory
            and _PREFIX.match(e[1]).group(1) == prefix  # type: ignore[union-attr]
            and _PREFIX.match(e[1]).group(2).split(".")[0].split("_")[0] == provider  # type: ignore[union-attr]
        )
        assert users, f
        return ("SOV106", *users[0][1])


@pytest.fixture(scope="module")
def parity(checkov: Path, checks_dir: Path) -> dict[str, Parity]:
    return {profile: Parity(checkov, checks_dir, profile) for profile in PROFILES}


@pytest.mark.parametrize("profile", PROFILES)
def test_parity_with_sovlint_scan(parity: dict[str, Parity], profile: str) -> None:
    assert_parity(parity[profile])


def test_parity_on_benchmark_corpus(checkov: Path, checks_dir: Path, tmp_path: Path) -> None:
    """The deterministic benchmark corpus (bench/corpus.py): generated Terraform modules and
    Kubernetes manifests, judged the same by both tools."""
    if not (ROOT / "bench" / "corpus.py").is_file():
        pytest.skip("bench/corpus.py is not in this checkout")
    corpus = [sys.executable, str(ROOT / "bench" / "corpus.py"), str(tmp_path / "corpus")]
    options = ["--modules", "40", "--manifests", "40", "--seed", "7"]
    subprocess.run([*corpus, *options], check=True, capture_output=True)
    p = Parity(checkov, checks_dir, "sovereign-eu", [tmp_path / "corpus"])
    assert len(p.got["failed"]) > 100
    assert_parity(p)


def _in_check_block(path: Path, line: int) -> bool:
    """Is this line inside a top-level `check "name" {}` block?"""
    lines = path.read_text(encoding="utf-8").splitlines()[:line]
    top = next((text for text in reversed(lines) if text and not text[0].isspace()), "")
    return top.startswith("check ")


def assert_parity(p: Parity) -> None:
    assert p.ranges, f"Checkov reported no CKV_SOV result at all:\n{p.stderr[-3000:]}"
    reported_files = {file for file, _ in p.ranges}
    expected_failed = set(p.expected["failed"])
    for f in p.findings:
        entity = (f["file"], p.name(f))
        if entity in p.ranges:
            start, end = p.ranges[entity]
            assert start <= f["line"] <= end, (f, p.ranges[entity])
    for f in p.unseen:
        # Findings Checkov cannot show, each for a documented reason.
        file, line = f["file"], f["line"]
        if f"/{CHECKOV_SKIP}/" in file or file in p.broken:
            continue
        if is_kubernetes(f["address"]):
            # An object Checkov does not report at all: a kustomization's image overrides,
            # the items of a typed list (`DeploymentList`) or of a JSON `List`.
            assert not any(e[0] == file and e[1] == p.name(f) for e in p.ranges), f
            continue
        if f["rule_id"] == "SOV107" and "module cycle" in f["message"]:
            continue  # inside a module cycle, which Checkov itself fails to load
        if file not in reported_files and NOT_PARSED_BY_CHECKOV.search(file):
            continue
        if f.get("callers") and all(
            any(k[0] == "SOV107" and str(Path(k[1]).parent) == c for k in p.got["failed"])
            for c in f["callers"]
        ):
            # Checkov checks none of a module's resources when one module directory is called
            # under the same name from several root modules; CKV_SOV_107 fails on each call.
            continue
        inside = [e for e, (s, e_) in p.ranges.items() if e[0] == file and s <= line <= e_]
        assert not inside, f"a finding on an entity Checkov shows, under another name: {f}"
        if _in_check_block(ROOT / file, line):
            continue  # a check {} block's scoped data source: Checkov does not load check blocks
        local = _PREFIX.match(f["address"]).group(2)  # type: ignore[union-attr]
        if local.startswith("terraform."):
            continue  # backend / cloud block: SOV105 and its locations stay sovlint-only
        # Otherwise only a provider declared in required_providers without a provider block.
        assert local.startswith("provider."), f
        source = (ROOT / file).read_text(encoding="utf-8").splitlines()[line - 1]
        assert not source.lstrip().startswith("provider"), (f, source)
        if f["rule_id"] == "SOV106":
            expected_failed.add(p.rehomed(f))

    def strict(items: set[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        # SOV107 is compared below; files sovlint rejects (SOV001) may still be read by Checkov.
        return sorted(i for i in items if i[0] != "SOV107" and i[1] not in p.broken)

    assert strict(p.got["failed"]) == strict(expected_failed)
    assert sorted(p.got["skipped"]) == sorted(p.expected["skipped"])
    # SOV107 depends on what each tool could load: every module sovlint could not follow is
    # also reported by Checkov; Checkov adds the modules it could not load itself.
    assert {i for i in expected_failed if i[0] == "SOV107"} <= p.got["failed"]
    for key in p.got["failed"] - expected_failed:
        if key[1] in p.broken:
            continue
        assert key[0] == "SOV107", key
        reasons = ("Checkov did not load this module", "Checkov checks none of this module's")
        assert any(r in d for d in p.details[key] for r in reasons), key


def test_parity_covers_every_check(parity: dict[str, Parity]) -> None:
    """Not vacuous: each CKV_SOV check failed somewhere, exactly where sovlint predicted."""
    seen = {key[0] for p in parity.values() for key in p.got["failed"] & p.expected["failed"]}
    seen |= {"SOV106"} & {key[0] for p in parity.values() for key in p.got["failed"]}
    assert seen >= ALL_CHECKS
    skipped = {key[0] for p in parity.values() for key in p.got["skipped"]}
    # sovlint:ignore comments and sovlint.io/ignore annotations are honoured
    assert {"SOV100", "SOV101", "SOV102", "SOV202"} <= skipped


def test_kustomize_rendered_objects(checkov: Path, checks_dir: Path) -> None:
    """Objects Checkov renders with kustomize (not on disk) are converted from Checkov's dicts
    and get the verdicts `sovlint scan --render kustomize` gives the same overlay."""
    if not (shutil.which("kustomize") or shutil.which("kubectl")):
        pytest.skip(
            "neither kustomize nor kubectl on PATH (Checkov's kustomize framework needs one)"
        )
    case = FIXTURES / "kubernetes" / "kustomize"
    args = ["-d", str(case), "--framework", "kustomize", "--check", "CKV_SOV_*"]
    args += ["--external-checks-dir", str(checks_dir)]
    _code, reports, stderr = run_checkov(checkov, args, ROOT)
    got = {
        (rule_id(r["check_id"]), r["resource"].rsplit(":", 1)[-1])
        for r in records(reports, "failed")
        if r["resource"].startswith("overlay:")
    }
    proc = subprocess.run(
        [sys.executable, "-m", "sovlint", "scan", str(case), "--render", "kustomize", "-f", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode in (0, 1), proc.stderr
    expected = {
        (f["rule_id"], kubernetes_name(f["address"]))
        for f in json.loads(proc.stdout)["findings"]
        if f["rule_id"] in KUBERNETES_CHECKS and not f["suppressed"]
    }
    assert expected, "the overlay must have findings for the test to mean anything"
    assert got == expected, stderr[-2000:]


def test_module_called_alike_from_several_roots_fails_closed(parity: dict[str, Parity]) -> None:
    """Checkov 3.3.30 checks none of a module's resources when its directory is called under
    the same name from more than one root module (shared-by-examples: three examples, each
    `module "bucket" { source = "../../" }`): CKV_SOV_107 fails on every call with the
    reason, instead of passing while nothing was checked. Called under distinct names
    (distinct-call-names), the resources are checked and CKV_SOV_107 passes."""
    p = parity["sovereign-eu"]
    shared = "fixtures/terraform/modules/shared-by-examples"
    for example in ("complete", "simple", "us-east"):
        key = ("SOV107", f"{shared}/examples/{example}/main.tf", "bucket")
        assert key in p.got["failed"], sorted(p.got["failed"])
        assert any("more than one root module" in d for d in p.details[key]), p.details[key]
    assert not any(k[1] == f"{shared}/main.tf" for k in p.got["failed"])
    distinct = "fixtures/terraform/modules/distinct-call-names"
    assert not any(k[0] == "SOV107" and k[1].startswith(distinct) for k in p.got["failed"])
    for name in ("paris_bucket", "virginia_bucket"):
        key = ("SOV101", f"{distinct}/main.tf", f"module.{name}.aws_s3_bucket.this")
        assert key in p.got["failed"], sorted(k for k in p.got["failed"] if distinct in k[1])
