"""Fuzz targets, one per frontend: bytes in, and the only exceptions allowed out are the ones
the scanner turns into SOV001 (or, for configuration, a one-line exit-2 error).

Each target goes past parsing into what the scanner does next (facts, rules), so a crash in
the code that consumes a parse tree is found too. Run them with `python fuzz/run.py`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sovlint.readfile import ReadError, decode


class Unexpected(Exception):
    """Wraps whatever a target let escape that is not a documented failure."""


@functools.lru_cache(maxsize=1)
def _context() -> Any:
    from sovlint.catalog.load import load_catalog
    from sovlint.profiles import DEFAULT_PROFILE, load_profile
    from sovlint.rules.base import Context

    catalog = load_catalog()
    return Context(catalog, load_profile(DEFAULT_PROFILE, catalog))


def _judge(facts: Any) -> None:
    from sovlint.rules import REGISTRY

    ctx = _context()
    for rule in REGISTRY.values():
        if rule.check is not None:
            for finding in rule.check(facts, ctx):
                assert "\n" not in finding.file


def _text(data: bytes) -> str | None:
    try:
        return decode(data)
    except ReadError:
        return None  # SOV001 "not valid UTF-8" / "binary content": a documented outcome


def hcl(data: bytes) -> None:
    """Native HCL: parse, build facts, judge."""
    from sovlint.frontends.terraform.facts import ModuleInput, build_facts
    from sovlint.frontends.terraform.hcl_native import HclSyntaxError, parse_hcl

    text = _text(data)
    if text is None:
        return
    try:
        doc = parse_hcl(text, "main.tf")
    except HclSyntaxError as exc:
        assert "\n" not in str(exc) and exc.line >= 1
        return
    _judge(build_facts(ModuleInput("fuzz", [doc]), _context().catalog))


def tfjson(data: bytes) -> None:
    """Terraform JSON syntax (.tf.json and .tfvars.json)."""
    from sovlint.frontends.terraform.facts import ModuleInput, build_facts
    from sovlint.frontends.terraform.hcl_json import parse_tf_json, parse_tfvars_json
    from sovlint.frontends.terraform.hcl_native import HclSyntaxError

    text = _text(data)
    if text is None:
        return
    with contextlib.suppress(HclSyntaxError):
        parse_tfvars_json(text, "terraform.tfvars.json")
    try:
        doc = parse_tf_json(text, "main.tf.json")
    except HclSyntaxError as exc:
        assert exc.line >= 1
        return
    _judge(build_facts(ModuleInput("fuzz", [doc]), _context().catalog))


def plan(data: bytes) -> None:
    """`terraform show -json` plans and state."""
    from sovlint.frontends.terraform.plan import PlanError, looks_like_plan, plan_facts

    text = _text(data)
    if text is None:
        return
    looks_like_plan(text)
    try:
        facts = plan_facts(text, "plan.json", _context().catalog)
    except PlanError as exc:
        assert exc.line >= 1
        return
    _judge(facts)


_CONFIG_DIR: list[str] = []


def config(data: bytes) -> None:
    """`.sovlint.yaml` (through a file: the loader reads paths)."""
    from sovlint.config import ConfigError, load_config
    from sovlint.rules import REGISTRY

    if not _CONFIG_DIR:
        _CONFIG_DIR.append(tempfile.mkdtemp(prefix="sovlint-fuzz-"))
    path = Path(_CONFIG_DIR[0]) / ".sovlint.yaml"
    path.write_bytes(data)
    try:
        load_config(path, set(REGISTRY))
    except ConfigError as exc:
        assert "\n" not in exc.message
    finally:
        os.unlink(path)


def k8s(data: bytes) -> None:
    """Kubernetes manifests: YAML streams and JSON, objects, facts, rules."""
    from sovlint.frontends.kubernetes.objects import LineMap, build_object, object_roots
    from sovlint.frontends.kubernetes.stream import parse_stream
    from sovlint.model import FactSet

    text = _text(data)
    if text is None:
        return
    facts = FactSet(unit="kubernetes")
    for as_json in (False, True):
        docs, error = parse_stream(text, as_json)
        if error is not None:
            assert error.line >= 1
        for doc in docs:
            for root, api, kind in object_roots(doc.root):
                facts.k8s_objects.append(build_object(root, api, kind, LineMap("x.yaml")))
    _judge(facts)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "hcl": hcl,
    "tfjson": tfjson,
    "plan": plan,
    "config": config,
    "k8s": k8s,
}
