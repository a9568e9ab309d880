"""Catalog field paths (frontends/kubernetes/paths.py, fields.py) and embedded-config reading."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sovlint.catalog.load import CatalogError, load_catalog
from sovlint.frontends.kubernetes.extractor import (
    MAX_SECRET_BYTES,
    decode_secret,
    without_comment,
)
from sovlint.frontends.kubernetes.nodes import Mapping, Node, Scalar, Sequence, load_yaml
from sovlint.frontends.kubernetes.objects import LineMap, build_object, object_roots
from sovlint.frontends.kubernetes.paths import Step, follow, parse_path
from sovlint.model import K8sObject


def objects(text: str, kube: object = None) -> list[K8sObject]:
    out = []
    for doc in load_yaml(text):
        for root, api, kind in object_roots(doc.root):
            out.append(build_object(root, api, kind, LineMap("x.yaml"), kube))  # type: ignore[arg-type]
    return out


def test_parse_path_steps() -> None:
    assert parse_path("spec.**.steps[]") == (
        Step("spec"),
        Step("**"),
        Step("steps", items=True),
    )
    assert parse_path('metadata.annotations."services.k8s.aws/region"')[-1] == Step(
        "services.k8s.aws/region"
    )


@pytest.mark.parametrize("bad", ["", "spec.", "spec..image", "spec.**", "**[]", "spec image"])
def test_parse_path_refuses_malformed(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_path(bad)


def test_follow_reports_trails_with_item_names() -> None:
    (doc,) = load_yaml("spec:\n  steps:\n    - name: a\n      image: x\n    - image: y\n")
    assert doc.root is not None
    found = list(follow(doc.root, parse_path("spec.steps[]")))
    assert [f.trail for f in found] == [("spec", "steps", "a"), ("spec", "steps", "#1")]


def _tree(depth: int) -> st.SearchStrategy[Node]:
    leaf = st.builds(lambda v: Scalar(v, 1, 1), st.sampled_from(["x", "img", None]))
    if depth == 0:
        return leaf

    def mapping(entries: dict[str, Node]) -> Node:
        m = Mapping(1, 1)
        m.entries = entries
        return m

    def sequence(items: list[Node]) -> Node:
        s = Sequence(1, 1)
        s.items = items
        return s

    child = _tree(depth - 1)
    keys = st.sampled_from(["spec", "steps", "image", "templates", "name"])
    return st.one_of(
        leaf,
        st.builds(mapping, st.dictionaries(keys, child, max_size=4)),
        st.builds(sequence, st.lists(child, max_size=4)),
    )


def _count(node: Node) -> int:
    if isinstance(node, Mapping):
        return 1 + sum(_count(c) for c in node.entries.values())
    if isinstance(node, Sequence):
        return 1 + sum(_count(c) for c in node.items)
    return 1


@settings(max_examples=150, deadline=None)
@given(_tree(4), st.sampled_from(["**.image", "spec.**.steps[]", "**.templates[].**.image"]))
def test_follow_is_bounded_by_nodes_times_steps(root: Node, path: str) -> None:
    steps = parse_path(path)
    found = list(follow(root, steps))
    assert len(found) <= _count(root)
    for f in found:
        last = steps[-1].key
        assert last in f.trail  # every match ends where the path's last key is


def test_crd_schema_is_never_an_image() -> None:
    text = Path(__file__).parent.parent / "fixtures/kubernetes/sov200-operator-images/crd.yaml"
    (crd,) = objects(text.read_text())
    assert crd.images == [] and crd.values == []


def test_override_adds_image_locations_for_a_users_crd(tmp_path: Path) -> None:
    override = tmp_path / "catalog.yaml"
    override.write_text(
        "kubernetes:\n  image_locations:\n"
        "    - {group: example.com, kinds: [Widget], images: [spec.runner.image],"
        " source: https://example.com/widget-crd, as_of: 2026-12-01}\n"
    )
    kube = load_catalog(extra_files=[override]).kubernetes
    text = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  runner:\n    image: ghcr.io/a/b:1\n"
    (obj,) = objects(text, kube)
    assert [(a, r.image, r.span.line) for a, r in obj.images] == [
        ("Widget/w/runner/image", "ghcr.io/a/b:1", 6)
    ]
    assert objects(text)[0].images == []  # not in the bundled catalog


@pytest.mark.parametrize(
    "entry",
    [
        "{group: example.com, source: https://x.example, as_of: 2026-12-01}",
        "{group: example.com, images: ['spec..image'], source: https://x.example, as_of: 2026-12-01}",
        "{group: example.com, images: [spec.image], as_of: 2026-12-01}",
    ],
)
def test_malformed_image_locations_are_catalog_errors(tmp_path: Path, entry: str) -> None:
    override = tmp_path / "catalog.yaml"
    override.write_text(f"kubernetes:\n  image_locations:\n    - {entry}\n")
    with pytest.raises(CatalogError):
        load_catalog(extra_files=[override])


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("# See https://github.com/x", ""),
        ("    ; https://example.com", ""),
        ("// https://example.com", ""),
        ("url = https://a.example.com # old: https://b.example.com", "url = https://a.example.com"),
        ("https://a.example.com/#frag", "https://a.example.com/#frag"),
    ],
)
def test_without_comment(line: str, kept: str) -> None:
    assert without_comment(line) == kept


def test_decode_secret_is_bounded_and_text_only() -> None:
    assert decode_secret(base64.b64encode(b"host: a.example.com").decode()) == "host: a.example.com"
    assert decode_secret("not base64!") is None
    assert decode_secret(base64.b64encode(b"\xff\xfe\x00").decode()) is None
    big = base64.b64encode(b"a" * (MAX_SECRET_BYTES + 10)).decode()
    assert decode_secret(big) is None
