"""The manifest loader: safe (no tag constructs anything, aliases never expand), exact lines,
and nothing but LoadError (SOV001) for any input."""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sovlint.engine import ScanOptions, scan
from sovlint.frontends.kubernetes.nodes import (
    MAX_ALIAS_EXPANSION,
    LoadError,
    Mapping,
    Scalar,
    Sequence,
    load_json,
    load_yaml,
)
from sovlint.frontends.kubernetes.objects import LineMap, build_object, object_roots
from sovlint.frontends.kubernetes.stream import parse_stream
from sovlint.profiles import load_profile
from sovtest import catalog


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: lol}", "data:"]
    lines.append("  l0: &l0 [" + ",".join(['"lol"'] * width) + "]")
    for i in range(1, levels + 1):
        lines.append(f"  l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def one(text: str) -> Mapping:
    docs = list(load_yaml(text))
    assert len(docs) == 1
    assert isinstance(docs[0].root, Mapping)
    return docs[0].root


@pytest.mark.parametrize(("levels", "width"), [(9, 9), (12, 10), (30, 30)])
def test_alias_bomb_is_refused_with_bounded_memory(levels: int, width: int) -> None:
    text = billion_laughs(levels, width)
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(LoadError, match="alias bomb") as info:
        list(load_yaml(text))
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # Memory is the deterministic evidence that nothing was expanded; the time bound only
    # detects a hang (expanding 30^30 nodes never finishes). Speed is measured, not asserted.
    assert peak < 5 * 1024 * 1024, f"peak memory {peak} bytes"
    assert elapsed < 10, f"{levels}x{width} alias bomb: {elapsed:.1f}s, expansion suspected"
    assert info.value.line == 1


def test_moderate_aliasing_is_read() -> None:
    # 100 aliases of a 100-item list: 10,000 extra nodes, well under the limit
    items = ",".join(str(i) for i in range(100))
    refs = ",".join(["*a"] * 100)
    root = one(f"apiVersion: v1\nkind: ConfigMap\nx: &a [{items}]\ny: [{refs}]\n")
    y = root.get("y")
    assert isinstance(y, Sequence) and len(y.items) == 100
    assert y.items[0] is y.items[99]  # shared, never copied
    assert MAX_ALIAS_EXPANSION >= 10_000


def test_recursive_alias_is_an_error() -> None:
    with pytest.raises(LoadError, match="recursive alias") as info:
        list(load_yaml("apiVersion: v1\nkind: X\na: &a\n  b: *a\n"))
    assert info.value.line == 3  # the anchor: an alias is the anchored node itself


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n", 5, "duplicate key 'name'"),
        ("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: a\n", 4, "tab character in indentation"),
        ("apiVersion: v1\nkind: Pod\nspec: [a, b\n", 4, "invalid YAML"),
        ("a: 1\n---\napiVersion: v1\nkind: Pod\n  bad: indent\n", 5, "invalid YAML"),
        ("apiVersion: v1\nkind: Pod\n? [complex, key]\n: value\n", 3, "keys must be scalars"),
    ],
)
def test_errors_carry_their_line(text: str, line: int, message: str) -> None:
    with pytest.raises(LoadError, match=message) as info:
        list(load_yaml(text))
    assert info.value.line == line


def test_documents_before_an_error_are_kept() -> None:
    docs, error = parse_stream("apiVersion: v1\nkind: A\n---\napiVersion: v1\nkind: [\n", False)
    assert len(docs) == 1
    assert error is not None and error.line == 6


def test_no_tag_constructs_anything(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    text = (
        "apiVersion: v1\nkind: ConfigMap\ndata:\n"
        f"  a: !!python/object/apply:os.mkdir [{str(target)!r}]\n"
        "  b: !!python/name:os.system\n"
        "  c: !Ref Param\n"
        "  d: !!binary aGVsbG8=\n"
        "  e: !!set {x, y}\n"
    )
    data = one(text).mapping("data")
    assert data is not None
    assert not target.exists()
    assert isinstance(data.get("a"), Sequence)
    assert data.text("b") == ""  # an empty scalar with a tag: just an empty string
    assert data.text("c") == "Param"
    assert data.text("d") == "aGVsbG8="
    assert isinstance(data.get("e"), Mapping)


def test_scalars_stay_strings() -> None:
    labels = one(
        "apiVersion: v1\nkind: ConfigMap\nlabels:\n"
        "  mode: 0777\n  bad: 08\n  hex: 0x_1\n  time: 1:30\n  flag: no\n  none: ~\n  empty:\n"
    ).mapping("labels")
    assert labels is not None
    assert [labels.text(k) for k in ("mode", "bad", "hex", "time", "flag")] == [
        "0777",
        "08",
        "0x_1",
        "1:30",
        "no",
    ]
    assert labels.text("none") is None and labels.text("empty") is None


def test_merge_keys_and_explicit_keys() -> None:
    root = one(
        "apiVersion: v1\nkind: X\nbase: &b {image: a, name: base}\n"
        "child:\n  <<: *b\n  name: child\n"
    )
    child = root.mapping("child")
    assert child is not None
    assert child.text("name") == "child" and child.text("image") == "a"
    assert child.line_of("image") == 3  # where the merged value is written
    assert child.line_of("name") == 6


def test_lines_of_nodes_and_literal_blocks() -> None:
    root = one(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n"
        "  conf: |\n    first\n    url = https://x.example\n"
    )
    assert root.line == 1 and root.end_line == 8
    data = root.mapping("data")
    assert data is not None and data.line_of("conf") == 6
    conf = data.get("conf")
    assert isinstance(conf, Scalar) and conf.literal and conf.line == 6
    obj = build_object(root, "v1", "ConfigMap", LineMap("cfg.yaml"))
    assert [(v.attribute, v.span.line) for _a, v in obj.values] == [("data.conf", 8)]


def test_json_lines_and_duplicates() -> None:
    doc = load_json('{\n\t"apiVersion": "v1",\n\t"kind": "Pod",\n\t"spec": {"a": true}\n}\n')
    assert isinstance(doc.root, Mapping)
    assert doc.root.line_of("kind") == 3
    spec = doc.root.mapping("spec")
    assert spec is not None and spec.text("a") == "true"
    with pytest.raises(LoadError, match="duplicate key 'kind'") as info:
        load_json('{"apiVersion": "v1",\n"kind": "A",\n"kind": "B"}')
    assert info.value.line == 3


@pytest.mark.parametrize(
    "text",
    ["[" * 5000, "a:\n" + "".join(" " * (2 * i) + f"k{i}:\n" for i in range(1, 260))],
)
def test_deep_nesting_is_an_error_not_a_crash(text: str) -> None:
    with pytest.raises(LoadError, match=r"nesting|invalid YAML"):
        list(load_yaml("apiVersion: v1\nkind: X\n" + text))


def test_deep_json_is_an_error() -> None:
    with pytest.raises(LoadError):
        load_json("[" * 600 + "]" * 600)


def test_lists_and_typed_lists() -> None:
    root = one(
        "apiVersion: v1\nkind: PodList\nitems:\n"
        "  - metadata: {name: a}\n"
        "  - apiVersion: v1\n    kind: Service\n    metadata: {name: b}\n"
        "  - just a string\n"
    )
    assert [(kind, api) for _n, api, kind in object_roots(root)] == [
        ("Pod", "v1"),
        ("Service", "v1"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n",
        "apiVersion: v1\nkind: Config\nclusters: []\n",
        "apiVersion: v2\nname: chart\n",
        "kind: Pod\n",
        "apiVersion: v1\nkind: {a: b}\n",
    ],
)
def test_not_kubernetes_objects(text: str) -> None:
    assert list(object_roots(one(text))) == []


_TOKENS = [
    "apiVersion: v1\n",
    "kind: Pod\n",
    "kind: List\nitems:\n",
    "metadata:\n  name: x\n",
    "  - ",
    "- ",
    "&a ",
    "*a",
    "<<: ",
    "{",
    "}",
    "[",
    "]",
    ": ",
    "\t",
    "---\n",
    "...\n",
    "!!python/object:os.system ",
    "!Ref ",
    "|\n  ",
    '"',
    "'",
    "#",
    "\n",
    "image: nginx\n",
    "containers:\n",
    "? ",
    "0777",
    "\ufeff",
    "\x00",
    "\ud800",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=400),
        st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join),
    ),
    st.booleans(),
)
def test_any_text_gives_objects_or_load_error(text: str, as_json: bool) -> None:
    docs, error = parse_stream(text, as_json)
    assert error is None or (isinstance(error, LoadError) and error.line >= 1)
    for doc in docs:
        for root, api, kind in object_roots(doc.root):
            build_object(root, api, kind, LineMap("x.yaml"))


_KEYS = st.sampled_from(
    [
        "image",
        "name",
        "containers",
        "nodeSelector",
        "annotations",
        "labels",
        "metadata",
        "spec",
        "template",
        "env",
        "value",
        "args",
        "provisioner",
        "key",
        "operator",
        "values",
        "provider",
        "dns01",
        "acme",
        "solvers",
        "items",
        "data",
        "topology.kubernetes.io/zone",
        "sovlint.io/ignore",
    ]
)
_VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["In", "us-east-1", "nginx", "https://api.openai.com", "SOV200 -- x", "eu-west-2"]
    ),
)
_TREES = st.recursive(
    _VALUES | st.none() | st.booleans() | st.integers(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=5),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _TREES, st.sampled_from(["Pod", "Deployment", "List", "StorageClass", "ConfigMap", "Issuer"])
)
def test_any_object_shape_is_judged_without_crashing(tree: object, kind: str) -> None:

    body = tree if isinstance(tree, dict) else {"spec": tree}
    doc = {**body, "apiVersion": "cert-manager.io/v1" if kind == "Issuer" else "v1", "kind": kind}
    cat = catalog()
    for text in (json.dumps(doc), json.dumps(doc, indent=2)):
        result = scan(
            ScanOptions(
                paths=[], profile=load_profile("sovereign-eu", cat), catalog=cat, stdin=text
            )
        )
        assert all(f.file == "<stdin>" for f in result.findings)
        assert all(f.rule_id != "SOV001" for f in result.findings)  # valid JSON is never SOV001


plain_scalars = st.one_of(
    st.sampled_from(["", "~", "null", "Null", "NULL", "nUll", "<<", "< <", "n", "no", "on"]),
    st.sampled_from(["8080", "0x1F", "1e3", ".inf", "2026-12-02", "true", "yes", "=", "!x"]),
    st.text(alphabet="~nulNUL<!&*=.01eyst -", max_size=6),
)


@settings(max_examples=500, deadline=None)
@given(plain_scalars, st.sampled_from(["k: {}\n", "- {}\n", "{}: v\n", "a: &x {{k: v}}\n{}: *x\n"]))
def test_null_and_merge_resolve_as_safeloader_resolves_them(scalar: str, shape: str) -> None:
    """The composer resolves only null and merge (`<<`); where PyYAML's safe loader (libyaml's
    when built with it, as the composer) resolves a scalar to either, so does it, and to
    neither elsewhere."""
    import yaml

    from sovlint.frontends.kubernetes import yaml_compose

    text = shape.format(scalar)

    def tags(loader: type) -> list[str] | str:
        try:
            nodes = list(yaml.compose_all(text, Loader=loader))
        except yaml.YAMLError:
            return "error"
        found: list[str] = []
        stack = [n for n in nodes if n is not None]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                found.append(
                    node.tag if node.tag in (yaml_compose._NULL, yaml_compose._MERGE) else "-"
                )
            elif isinstance(node, yaml.MappingNode):
                stack.extend(part for pair in node.value for part in pair)
            else:
                stack.extend(node.value)
        return found

    assert tags(yaml_compose._Loader) == tags(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _nested(levels: int, leaf: str) -> str:
    inner = leaf
    for level in range(levels):
        inner = f"[{inner}]" if level % 2 else f"{{k{level}: {inner}}}"
    return inner


@settings(max_examples=200, deadline=None)
@given(
    shape=st.lists(st.integers(0, 230), min_size=1, max_size=4),
    leaf=st.sampled_from(["x", "'q'", "[a, b]", "{a: b, c: [d]}", "null", "'*x'"]),
)
def test_depth_check_of_a_document_without_anchors_is_the_graph_check(
    shape: list[int], leaf: str
) -> None:
    """Without `&` a document is a tree: the lighter check refuses what check_graph refuses,
    with the same message and line (the same node), and accepts what it accepts. Each entry
    is a line of its own, nested that many levels (MAX_DEPTH is 200)."""
    import yaml

    from sovlint.frontends.kubernetes import yaml_compose

    text = "".join(f"e{i}: {_nested(levels, leaf)}\n" for i, levels in enumerate(shape))
    assert "&" not in text
    (root,) = list(yaml.compose_all(text, Loader=yaml_compose._Loader))

    def outcome(check: Callable[[object], None]) -> tuple[str, int] | None:
        try:
            check(root)
        except LoadError as exc:
            return str(exc), exc.line
        return None

    expected = outcome(yaml_compose.check_graph)
    assert outcome(yaml_compose.check_depth) == expected
    if max(shape) <= 190:  # (both outcomes are drawn: MAX_DEPTH is 200)
        assert expected is None
    elif max(shape) > 205:
        assert expected is not None
