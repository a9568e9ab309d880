"""The walk that reads one Kubernetes object's facts: metadata signals, kind-specific fields,
ConfigMap and Secret data, pod specs (images, env, command and args), placements.

What is written is recorded with the line of the node that carries it (through the
object's LineMap); what it means is the catalog's business, applied by the rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sovlint.frontends.kubernetes.nodes import Mapping, Node, Scalar, Sequence
from sovlint.model import (
    IgnoreAnnotation,
    ImageRef,
    K8sObject,
    PlacementRef,
    SignalRef,
    Span,
    ValueRef,
)

if TYPE_CHECKING:
    from sovlint.frontends.kubernetes.objects import LineMap

IGNORE_ANNOTATION = "sovlint.io/ignore"
CONTAINER_SECTIONS = ("containers", "initContainers", "ephemeralContainers")
# Subtrees that select pods or namespaces, not nodes: their key/values are not placements.
_NOT_NODE_SELECTORS = frozenset(
    {
        "labelSelector",
        "namespaceSelector",
        "selector",
        "podAffinity",
        "podAntiAffinity",
        "topologySpreadConstraints",
        "matchLabels",
    }
)
_PLACEMENT_OWNERS = ("nodeAffinity", "allowedTopologies", "requirements", "nodeSelectorTerms")


class Extractor:
    def __init__(self, obj: K8sObject, lines: LineMap) -> None:
        self.obj = obj
        self.lines = lines
        self.seen: set[int] = set()

    def span(self, line: int, end_line: int = 0) -> Span:
        return self.lines.span(line, end_line)

    # -- metadata --------------------------------------------------------------------
    def metadata(self, meta: Mapping | None, owner: str) -> None:
        if meta is None:
            return
        annotations = meta.mapping("annotations")
        if annotations is not None and not owner:
            for key, node in annotations.entries.items():
                value = node.value if isinstance(node, Scalar) else None
                line = annotations.line_of(key)
                if key == IGNORE_ANNOTATION and value is not None:
                    self.obj.ignore = IgnoreAnnotation(value, self.span(line))
                    continue
                self.obj.signals.append(SignalRef("annotation", key, value or "", self.span(line)))
                if key == "kubernetes.io/ingress.class" and value:
                    self.obj.signals.append(
                        SignalRef("ingress_class", value, value, self.span(line))
                    )
        labels = meta.mapping("labels")
        if labels is not None:
            for key, node in labels.entries.items():
                value = node.value if isinstance(node, Scalar) else None
                self.obj.signals.append(
                    SignalRef("label", key, value or "", self.span(labels.line_of(key)), owner)
                )

    # -- kind-specific fields ------------------------------------------------------------
    def kind_fields(self, root: Mapping) -> None:
        obj = self.obj
        group = obj.group
        spec = root.mapping("spec")
        if obj.kind == "StorageClass" and group == "storage.k8s.io":
            self.signal_text(root, "provisioner", "provisioner")
        elif obj.kind == "PersistentVolume" and group == "" and spec is not None:
            csi = spec.mapping("csi")
            if csi is not None:
                self.signal_text(csi, "driver", "provisioner")
            for key in spec.entries:
                if isinstance(spec.entries[key], Mapping) and key != "csi":
                    self.signal(spec, key, "volume_source", key)
        elif spec is None:
            return
        elif obj.kind == "Service" and group == "" and spec.text("type") == "ExternalName":
            target = spec.get("externalName")
            if isinstance(target, Scalar) and target.value:
                self.value(obj.address, "spec.externalName", target, spec.line_of("externalName"))
        elif obj.kind == "Ingress" and group in ("networking.k8s.io", "extensions"):
            self.signal_text(spec, "ingressClassName", "ingress_class")
        elif obj.kind == "IngressClass" and group == "networking.k8s.io":
            self.signal_text(spec, "controller", "ingress_controller")
        elif obj.kind == "Gateway" and group == "gateway.networking.k8s.io":
            self.signal_text(spec, "gatewayClassName", "gateway_class")
        elif obj.kind == "GatewayClass" and group == "gateway.networking.k8s.io":
            self.signal_text(spec, "controllerName", "gateway_controller")
        elif obj.kind in ("Issuer", "ClusterIssuer") and group == "cert-manager.io":
            acme = spec.mapping("acme")
            solvers = acme.sequence("solvers") if acme is not None else None
            for solver in solvers.items if solvers is not None else ():
                dns01 = solver.mapping("dns01") if isinstance(solver, Mapping) else None
                if dns01 is None:
                    continue
                for key, child in dns01.entries.items():
                    if isinstance(child, Mapping):
                        self.signal(dns01, key, "dns01_solver", key)
        elif obj.kind in ("SecretStore", "ClusterSecretStore") and group == "external-secrets.io":
            provider = spec.mapping("provider")
            if provider is not None:
                for key in provider.entries:
                    self.signal(provider, key, "secret_provider", key)

    def signal_text(self, node: Mapping, key: str, kind: str) -> None:
        value = node.text(key)
        if value:
            self.obj.signals.append(SignalRef(kind, value, value, self.span(node.line_of(key))))

    def signal(self, node: Mapping, key: str, kind: str, text: str, owner: str = "") -> None:
        self.obj.signals.append(SignalRef(kind, text, key, self.span(node.line_of(key)), owner))

    def config_data(self, root: Mapping) -> None:
        obj = self.obj
        if obj.group != "" or obj.kind not in ("ConfigMap", "Secret"):
            return
        sections = ("data",) if obj.kind == "ConfigMap" else ("stringData", "data")
        for section in sections:
            data = root.mapping(section)
            if data is None:
                continue
            for key, node in data.entries.items():
                if not isinstance(node, Scalar) or not node.value:
                    continue
                if obj.kind == "Secret" and section == "data":
                    decoded = decode_secret(node.value)
                    if decoded is not None:
                        line = data.line_of(key)
                        value = Scalar(decoded, line, line)
                        self.value(obj.address, f"data.{key} (base64-decoded)", value, line)
                    continue
                self.value(obj.address, f"{section}.{key}", node, data.line_of(key))

    def value(self, address: str, attribute: str, node: Scalar, key_line: int) -> None:
        text = node.value or ""
        if node.literal and "\n" in text:
            for offset, part in enumerate(text.split("\n")):
                part = without_comment(part)
                if "." in part:
                    ref = ValueRef(attribute, part, self.span(node.line + 1 + offset))
                    self.obj.values.append((address, ref))
            return
        if "\n" in text:  # a folded or quoted multi-line value: its lines, at the key's line
            line = node.line or key_line
            for part in text.split("\n"):
                part = without_comment(part)
                if "." in part:
                    self.obj.values.append((address, ValueRef(attribute, part, self.span(line))))
            return
        line = node.line if node.line else key_line
        self.obj.values.append((address, ValueRef(attribute, text, self.span(line))))

    # -- the generic walk: pod specs, templates, placements --------------------------------
    def walk(self, node: Node, parents: tuple[str, ...]) -> None:
        if id(node) in self.seen:
            return  # an aliased subtree is read once
        self.seen.add(id(node))
        if isinstance(node, Sequence):
            for item in node.items:
                self.walk(item, parents)
            return
        if not isinstance(node, Mapping):
            return
        if parents and isinstance(node.get("metadata"), Mapping) and "spec" in node.entries:
            # an embedded template (pod template, jobTemplate ...): its labels count, its
            # annotations do not describe this object
            self.metadata(
                node.mapping("metadata"), "Pod" if parents[-1] == "template" else parents[-1]
            )
        if isinstance(node.get("containers"), Sequence):
            self.pod_spec(node)
        self.placement_term(node, parents)
        for key, child in node.entries.items():
            if key in _NOT_NODE_SELECTORS or (not parents and key == "metadata"):
                continue
            if key == "nodeSelector" and isinstance(child, Mapping):
                self.node_selector(child)
                continue
            self.walk(child, (*parents, key))

    def node_selector(self, selector: Mapping) -> None:
        for key, node in selector.entries.items():
            if isinstance(node, Scalar) and node.value is not None:
                span = self.span(selector.line_of(key))
                self.obj.placements.append(PlacementRef("nodeSelector", key, node.value, span))

    def placement_term(self, node: Mapping, parents: tuple[str, ...]) -> None:
        """{key, operator: In, values: [...]} (operator left out in allowedTopologies)."""
        key = node.text("key")
        values = node.sequence("values")
        if not key or values is None or node.text("operator") not in (None, "In"):
            return
        attribute = next(
            (p for p in _PLACEMENT_OWNERS if p in parents), parents[-1] if parents else "spec"
        )
        for item in values.items:
            if isinstance(item, Scalar) and item.value:
                self.obj.placements.append(
                    PlacementRef(attribute, key, item.value, self.span(item.line))
                )

    def pod_spec(self, spec: Mapping) -> None:
        for section in CONTAINER_SECTIONS:
            containers = spec.sequence(section)
            for index, item in enumerate(containers.items if containers is not None else ()):
                if isinstance(item, Mapping):
                    self.container(section, index, item)
        volumes = spec.sequence("volumes")
        for volume in volumes.items if volumes is not None else ():
            if not isinstance(volume, Mapping):
                continue
            for key, source in volume.entries.items():
                if key == "csi" and isinstance(source, Mapping):
                    self.signal_text(source, "driver", "provisioner")
                elif isinstance(source, Mapping):
                    self.signal(volume, key, "volume_source", key, "Pod")

    def container_flags(self, item: Mapping) -> None:
        """`--flag=value` (or `--flag value`) in command/args, keyed by the image's name
        (`external-dns --provider=aws`), for the catalog's container_flags."""
        image = item.text("image") or ""
        program = image.split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0]
        if not program:
            return
        for field_name in ("command", "args"):
            seq = item.sequence(field_name)
            args = [a for a in (seq.items if seq is not None else ()) if isinstance(a, Scalar)]
            for i, arg in enumerate(args):
                text = (arg.value or "").strip()
                if not text.startswith("--"):
                    continue
                if "=" not in text and i + 1 < len(args) and args[i + 1].value:
                    following = (args[i + 1].value or "").strip()
                    if not following.startswith("-"):
                        text = f"{text}={following}"
                if "=" in text:
                    key = f"{program} {text}"
                    self.obj.signals.append(
                        SignalRef("container_flag", key, text, self.span(arg.line))
                    )

    def container(self, section: str, index: int, item: Mapping) -> None:
        name = item.text("name") or f"#{index}"
        self.container_at(f"{self.obj.address}/{section}/{name}", section, name, item)

    def image(self, address: str, section: str, name: str, node: Scalar) -> None:
        if node.value:
            ref = ImageRef(name, section, node.value, self.span(node.line))
            self.obj.images.append((address, ref))

    def container_at(self, address: str, section: str, name: str, item: Mapping) -> None:
        """A container-shaped mapping: its image, env values, command and args (and the
        `script` / `source` a Tekton step or an Argo script template runs)."""
        image = item.get("image")
        if isinstance(image, Scalar):
            self.image(address, section, name, image)
        self.container_flags(item)
        for key in ("script", "source"):
            script = item.get(key)
            if isinstance(script, Scalar) and script.value:
                self.value(address, key, script, item.line_of(key))
        env = item.sequence("env")
        for var in env.items if env is not None else ():
            if not isinstance(var, Mapping):
                continue
            value = var.get("value")
            if isinstance(value, Scalar) and value.value:
                self.value(address, f"env {var.text('name') or '?'}", value, var.line_of("value"))
        for field_name in ("command", "args"):
            seq = item.sequence(field_name)
            for i, arg in enumerate(seq.items if seq is not None else ()):
                if isinstance(arg, Scalar) and arg.value:
                    self.value(address, f"{field_name}[{i}]", arg, arg.line)


# A Secret value larger than this (decoded) is not read for endpoints: certificates, keystores.
MAX_SECRET_BYTES = 64 * 1024
_COMMENT_PREFIXES = ("#", ";", "//")


def without_comment(line: str) -> str:
    """A line of an embedded config (YAML, INI, TOML, shell, nginx) without its comment:
    nothing for a comment line, the text before ` #` otherwise (a URL fragment has no space)."""
    stripped = line.lstrip()
    if stripped.startswith(_COMMENT_PREFIXES):
        return ""
    cut = line.find(" #")
    return line[:cut] if cut >= 0 else line


def decode_secret(value: str) -> str | None:
    """A Secret `data` value decoded (base64, then UTF-8), or None when it is not text or is
    larger than MAX_SECRET_BYTES."""
    import base64
    import binascii

    text = "".join(value.split())
    if len(text) > MAX_SECRET_BYTES * 4 // 3 + 4:
        return None
    try:
        return base64.b64decode(text, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
