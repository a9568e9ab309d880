"""Facts of `terraform { backend/cloud }` blocks and `terraform_remote_state` data sources."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.hclmodel import Attribute, Block, Body, Document, Literal, ObjectExpr
from sovlint.model import Backend, EndpointRef, LocationRef, Resolved
from sovlint.netloc import host_of

from .facts_base import FactsBase


class BackendFacts(FactsBase):
    """Backend and remote-state facts of one module."""

    def _terraform_block(self, doc: Document, block: Block) -> None:
        for rp in block.body.blocks_of("required_providers"):
            for attr in rp.body.attributes.values():
                source: str | None = None
                if isinstance(attr.value, ObjectExpr):
                    src = attr.value.get("source")
                    if isinstance(src, Literal) and isinstance(src.value, str):
                        source = src.value
                self.required[attr.name] = (source, self.span(doc, attr.line, attr.end_line))
        if not self.module.is_root:
            return  # Terraform ignores backend and cloud blocks outside the root module
        for backend in block.body.blocks_of("backend"):
            if not backend.labels:
                continue
            kind = backend.labels[0]
            address = f"terraform.backend.{kind}"
            if not self.module.backend_files or self._decides_alone(kind, backend.body):
                self._backend(doc, backend, kind, address)
            for config in self.module.backend_files:
                self._completed_backend(doc, backend, kind, address, config)
        for cloud in block.body.blocks_of("cloud"):
            self._backend(doc, cloud, "cloud", "terraform.cloud")

    def _settings(
        self, doc: Document, body: Body, prefix: str = ""
    ) -> Iterator[tuple[str, Attribute, Resolved]]:
        for attr in body.attributes.values():
            if isinstance(attr.value, ObjectExpr):
                for key, item in attr.value.items:
                    yield f"{prefix}{attr.name}.{key}", attr, self.resolve(item)
            else:
                yield f"{prefix}{attr.name}", attr, self.resolve(attr.value)
        for nested in body.blocks:
            if not nested.labels:
                for key, attr, res in self._settings(doc, nested.body, f"{prefix}{nested.type}."):
                    yield key, attr, res

    def _backend(self, doc: Document, block: Block, kind: str, address: str) -> None:
        backend = Backend(
            address=address, kind=kind, span=self.span(doc, block.line, block.end_line)
        )
        self._fill_backend(doc, backend, block.body)
        self.facts.backends.append(backend)

    def _completed_backend(
        self, doc: Document, block: Block, kind: str, address: str, config: Document
    ) -> None:
        """The backend block as one `-backend-config` file completes it (`terraform init
        -backend-config=FILE`): the file's attributes replace the block's same-named ones.
        Each file of the module is one candidate, judged on its own and located at the
        file's attribute that decides where state goes."""
        given = config.body.attributes
        own = Body(
            {name: attr for name, attr in block.body.attributes.items() if name not in given},
            [nested for nested in block.body.blocks if nested.type not in given],
        )
        backend = Backend(
            address=address,
            kind=kind,
            span=self.span(config, self._deciding_line(kind, config)),
            config_file=config.path,
            block=self.span(doc, block.line, block.end_line),
        )
        self._fill_backend(doc, backend, own)
        self._fill_backend(config, backend, config.body)
        self.facts.backends.append(backend)

    def _decides_alone(self, kind: str, body: Body) -> bool:
        """Whether the block itself says who keeps the state or where: `terraform init`
        without -backend-config uses it as written, so it is a candidate beside each file."""
        spec = self.catalog.backends.get(kind)
        if spec is None:
            return False
        names = (*spec.endpoint_attributes, *spec.host_attributes, *spec.location_attributes)
        written = {*body.attributes, *(nested.type for nested in body.blocks)}
        return any(name.split(".", 1)[0] in written for name in names)

    def _deciding_line(self, kind: str, config: Document) -> int:
        """The line of the file's first setting that says who keeps the state or where
        (endpoint, host, region), else of its first setting, else 1."""
        attrs = config.body.attributes
        spec = self.catalog.backends.get(kind)
        if spec is not None:
            names = (*spec.endpoint_attributes, *spec.host_attributes, *spec.location_attributes)
            for name in names:
                attr = attrs.get(name.split(".", 1)[0])
                if attr is not None:
                    return _item_line(attr, name)
        return min((attr.line for attr in attrs.values() if attr.line), default=1)

    def _fill_backend(self, doc: Document, backend: Backend, body: Body) -> None:
        spec = self.catalog.backends.get(backend.kind)
        for key, attr, res in self._settings(doc, body):
            backend.settings[key] = res
            span = self.span(doc, _item_line(attr, key))
            if spec and key in spec.location_attributes:
                backend.locations.append(LocationRef(key, res, span))
            if spec and key in (*spec.endpoint_attributes, *spec.host_attributes) and res.value:
                host = host_of(res.value)
                if host:
                    backend.endpoints.append(EndpointRef(key, res.value, host, span))

    def _remote_state(self, doc: Document, block: Block, address: str) -> None:
        kind_attr = block.body.attr("backend")
        kind = self.resolve(kind_attr.value).value if kind_attr else None
        config = block.body.attr("config")
        if not kind:
            return
        backend = Backend(
            address=address, kind=kind, span=self.span(doc, block.line, block.end_line)
        )
        if config is not None and isinstance(config.value, ObjectExpr):
            body = Body()
            for key, item in config.value.items:
                body.attributes[key] = Attribute(
                    key, item, item.line or config.line, item.line or config.line
                )
            self._fill_backend(doc, backend, body)
        self.facts.backends.append(backend)


def _item_line(attr: Attribute, key: str) -> int:
    if "." in key and isinstance(attr.value, ObjectExpr):
        sub = attr.value.get(key.split(".", 1)[1])
        if sub is not None and sub.line:
            return sub.line
    return attr.line
