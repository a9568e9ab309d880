"""Build sovlint facts from the parsed files of one Terraform module (one directory)."""

from __future__ import annotations

from sovlint.catalog.model import Catalog
from sovlint.model import FactSet, ProviderConfig

from .evaluator import Evaluator
from .facts_resources import ResourceFacts
from .module_input import ModuleCall, ModuleInput, module_evaluator

__all__ = ["ModuleCall", "ModuleInput", "build_facts", "build_module", "module_evaluator"]


class _Builder(ResourceFacts):
    def build(self) -> FactSet:
        for doc in self.module.documents:
            for block in doc.body.blocks_of("terraform"):
                self._terraform_block(doc, block)
        provider_blocks: set[str] = set()
        for doc in self.module.documents:
            for block in doc.body.blocks:
                if block.type == "provider" and block.labels:
                    provider_blocks.add(block.labels[0])
                    self._provider(doc, block)
        for local_name, (source, span) in sorted(self.required.items()):
            # In a child module the declaration is a requirement; the configuration is the caller's.
            if (
                local_name not in provider_blocks
                and f"provider.{local_name}" not in self.module.inherited
            ):
                self.facts.providers.append(
                    ProviderConfig(
                        address=f"{self.prefix}provider.{local_name}",
                        local_name=local_name,
                        alias=None,
                        source=source,
                        span=span,
                        block_line=span.line,
                        declared_only=True,
                    )
                )
        for doc in self.module.documents:
            for block in doc.body.blocks:
                if block.type in ("resource", "data") and len(block.labels) >= 2:
                    self._resource(doc, block)
                elif block.type == "check":  # a check's scoped data sources are read too
                    for nested in block.body.blocks_of("data"):
                        if len(nested.labels) >= 2:
                            self._resource(doc, nested)
                elif block.type == "module" and block.labels:
                    self._module_call(doc, block)
        return self.facts


def build_facts(module: ModuleInput, catalog: Catalog) -> FactSet:
    return _Builder(module, catalog).build()


def build_module(
    module: ModuleInput, catalog: Catalog
) -> tuple[FactSet, list[ModuleCall], Evaluator, object]:
    """Facts of one module instance, its module calls, the evaluator for their arguments, and
    what the caller keeps while it uses that evaluator: the builder, which the evaluator calls
    back into (for data sources' provider facts) and holds only weakly, so that no reference
    cycle keeps each module's evaluation alive after the scan is done with it."""
    builder = _Builder(module, catalog)
    facts = builder.build()
    return facts, builder.calls, builder.evaluator, builder
