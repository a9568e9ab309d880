"""Kubernetes objects (Checkov's kubernetes, helm and kustomize frameworks): each manifest
file is read by sovlint's own reader (exact lines) and judged once; objects Checkov rendered
are converted from Checkov's dict."""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sovlint.integrations.checkov.checks import KUBERNETES_CHECKS, Result, outcome
from sovlint.integrations.checkov.settings import SettingsError, config_start, settings_for
from sovlint.model import Finding

if TYPE_CHECKING:
    from sovlint.settings import Settings

LOG = logging.getLogger("sovlint.checkov")


@dataclass
class KubeFile:
    """The objects of one manifest file as sovlint reads it, judged once."""

    objects: list[Any] = field(default_factory=list)  # sovlint.model.K8sObject
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None


_kube_files: dict[str, KubeFile] = {}
_kube_converted: dict[tuple[str, int, str], KubeFile] = {}


def _judge_objects(
    objects: list[Any], settings: Settings, file: str, text: str | None
) -> list[Finding]:
    """Findings of sovlint's Kubernetes rules on these objects, with `sovlint:ignore` comments
    and `sovlint.io/ignore` annotations applied exactly as `sovlint scan` applies them."""
    from sovlint.findings import RuleSelection, apply_suppressions, judge
    from sovlint.frontends.kubernetes.builder import annotation_suppression
    from sovlint.model import FactSet
    from sovlint.rules.base import Context
    from sovlint.suppression import parse_suppressions

    ctx = Context(settings.catalog, settings.profile)
    facts = FactSet(unit=file, files=[file], k8s_objects=list(objects))
    findings = list(judge(facts, ctx, RuleSelection(settings.disabled), "kubernetes"))
    sups = parse_suppressions(file, text) if text is not None else []
    for obj in objects:
        sup = annotation_suppression(obj)
        if sup is not None:
            sups.append(sup)
    findings.extend(apply_suppressions(findings, {file: sups}, _dt.date.today(), settings.disabled))
    return [f for f in findings if f.rule_id in KUBERNETES_CHECKS]


def _judge_file(kube: KubeFile, path: str, text: str | None) -> None:
    """Judge the file's objects with the settings for its directory (or record why not)."""
    try:
        settings = settings_for(config_start(path))
    except SettingsError as exc:
        kube.error = f"sovlint configuration error: {exc}"
    else:
        kube.findings = _judge_objects(kube.objects, settings, path, text)


def _kube_file(path: str) -> KubeFile | None:
    """The file parsed by sovlint's own reader (exact lines), or None when it cannot be
    (a file Checkov rendered and removed, a file sovlint rejects: SOV001 in `sovlint scan`)."""
    if path in _kube_files:
        return _kube_files[path]
    from sovlint.frontends.kubernetes.objects import LineMap, build_object, object_roots
    from sovlint.frontends.kubernetes.stream import parse_stream
    from sovlint.readfile import ReadError, read_text

    result: KubeFile | None = None
    try:
        text = read_text(Path(path))
    except ReadError:
        text = None
    if text is not None:
        docs, error = parse_stream(text, path.lower().endswith(".json"))
        if error is None:
            lines = LineMap(path)
            result = KubeFile(
                [
                    build_object(root, api, kind, lines)
                    for doc in docs
                    for root, api, kind in object_roots(doc.root)
                ]
            )
            _judge_file(result, path, text)
    if result is not None:
        _kube_files[path] = result
    return result


def _identity(conf: Mapping[str, Any]) -> tuple[str, str | None, str | None]:
    meta = conf.get("metadata")
    name = namespace = None
    if isinstance(meta, Mapping):
        name = meta.get("name") if isinstance(meta.get("name"), str) else None
        namespace = meta.get("namespace") if isinstance(meta.get("namespace"), str) else None
        if name is None and isinstance(meta.get("generateName"), str):
            name = f"{meta['generateName']}*"
    kind = conf.get("kind")
    return (kind if isinstance(kind, str) else "", name, namespace)


def _kube_object(path: str, conf: Mapping[str, Any]) -> tuple[Any, KubeFile] | None:
    """sovlint's object for Checkov's entity: from the file as sovlint reads it when the object
    is there, else (rendered by helm or kustomize) converted from Checkov's dict."""
    identity = _identity(conf)
    line = conf.get("__startline__")
    parsed = _kube_file(path)
    if parsed is not None:
        same = [o for o in parsed.objects if (o.kind, o.name, o.namespace) == identity]
        if len(same) > 1:
            same = [o for o in same if o.span.line == line]
        if len(same) == 1:
            return same[0], parsed
    key = (path, line if isinstance(line, int) else 0, json.dumps(identity))
    if key not in _kube_converted:
        from sovlint.frontends.kubernetes.checkov_conf import to_node
        from sovlint.frontends.kubernetes.objects import LineMap, build_object, object_roots

        converted = KubeFile()
        roots = list(object_roots(to_node(conf)))
        if roots:
            root, api, kind = roots[0]
            converted.objects = [build_object(root, api, kind, LineMap(path))]
            _judge_file(converted, path, None)
        _kube_converted[key] = converted
    converted = _kube_converted[key]
    return (converted.objects[0], converted) if converted.objects else None


def kube_verdict(scanned_file: str, conf: Mapping[str, Any], rule: str) -> Result:
    """The result of sovlint rule `rule` on the Kubernetes object `conf` Checkov read from
    `scanned_file` (an absolute path in Checkov's Kubernetes runner)."""
    path = os.path.abspath(scanned_file)
    try:
        found = _kube_object(path, conf)
    except Exception as exc:  # fail closed, and say so once
        LOG.exception("sovlint could not evaluate %s", path)
        return Result("FAILED", (f"sovlint internal error: {type(exc).__name__}: {exc}",))
    if found is None:
        return Result("UNKNOWN")  # not a cluster object for sovlint (kubeconfig, kustomization)
    obj, source = found
    if source.error is not None:
        return Result("FAILED", (source.error,))
    try:
        settings = settings_for(config_start(path))
    except SettingsError as exc:
        return Result("FAILED", (f"sovlint configuration error: {exc}",))
    if rule in settings.disabled:
        return Result("UNKNOWN")
    own = [
        f
        for f in source.findings
        if f.rule_id == rule
        and f.block_line == obj.span.line
        and (f.address == obj.address or f.address.startswith(obj.address + "/"))
    ]
    return outcome(own)
