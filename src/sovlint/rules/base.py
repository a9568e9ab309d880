"""What every rule shares: its metadata and the judging context."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sovlint.attribution import Attributor, ProviderView
from sovlint.catalog.model import Catalog
from sovlint.model import (
    Attribution,
    FactSet,
    Finding,
    ProviderConfig,
    Resource,
    Severity,
    Span,
    TerraformFacts,
)
from sovlint.profiles import Profile

T = TypeVar("T")


@dataclass(frozen=True)
class RuleMeta:
    id: str
    name: str
    title: str
    severity: Severity
    rationale: str
    fix: str
    frameworks: tuple[str, ...] = ("terraform",)  # the frontends whose facts it judges
    suppressible: bool = True
    # The FactSet fields the rule judges: it is not run on facts where all of them are empty
    # (tests/test_rule_reads.py checks that it reads nothing else).
    reads: tuple[str, ...] = ()

    @property
    def help_uri(self) -> str:
        return f"https://github.com/sovlint/sovlint/blob/main/docs/rules.md#{self.id.lower()}-{self.name}"


@dataclass
class Context:
    catalog: Catalog
    profile: Profile
    attributor: Attributor = field(init=False)
    _views: dict[tuple[str, str, Span | None], ProviderView] = field(
        default_factory=dict, init=False
    )
    _derived: tuple[object, dict[Hashable, Any]] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.attributor = Attributor(self.catalog)

    def per_facts(self, facts: object, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` once per set of facts: the rules of one set of facts, then its
        inventory, run one after the other (sovlint.engine), and several of them read the
        same derived cases (SOV102-SOV104 the location cases; SOV103, SOV104 and the
        inventory each workload object's cases). Only the values of the last facts are kept
        (held with them, so their identity cannot be reused while they are)."""
        derived = self._derived
        if derived is None or derived[0] is not facts:
            derived = self._derived = (facts, {})
        values = derived[1]
        if key not in values:
            values[key] = compute()
        value: T = values[key]
        return value

    def release(self) -> None:
        """Drop what `per_facts` keeps (the engine, once a set of facts is judged and listed)."""
        self._derived = None

    def provider_view(self, facts: TerraformFacts, pc: ProviderConfig) -> ProviderView:
        # The span tells apart the configurations that different roots pass to one child
        # module (same unit, same address): each root's own region must be judged.
        key = (facts.unit, pc.address, pc.span)
        if key not in self._views:
            self._views[key] = self.attributor.provider(pc, pc.local_name, pc.source)
        return self._views[key]

    def resource_view(self, facts: TerraformFacts, res: Resource) -> ProviderView:
        """The provider configuration a resource uses (its alias, else the default one, else implied)."""
        for pc in facts.providers:
            if pc.address == res.provider_address:
                return self.provider_view(facts, pc)
        inherited = facts.inherited_providers.get(res.provider_address)
        if inherited is not None:
            return self.provider_view(facts, inherited)
        source = next(
            (
                pc.source
                for pc in facts.providers
                if pc.local_name == res.provider_local_name and pc.source
            ),
            None,
        )
        key = (facts.unit, f"{res.provider_address}#implied", None)
        if key not in self._views:
            self._views[key] = self.attributor.provider(None, res.provider_local_name, source)
        return self._views[key]

    def provider_anchor(self, facts: TerraformFacts, res: Resource) -> tuple[str, str]:
        """(file, address) where the provider a resource uses is reported: its configuration,
        else (an implied provider, no block anywhere) the first resource that uses it."""
        for pc in facts.providers:
            if pc.address == res.provider_address:
                return pc.span.file, pc.address
        inherited = facts.inherited_providers.get(res.provider_address)
        if inherited is not None:
            return inherited.span.file, inherited.address
        first = next(r for r in facts.resources if r.provider_address == res.provider_address)
        return first.span.file, first.address

    def finding(
        self,
        meta: RuleMeta,
        span: Span,
        address: str,
        message: str,
        att: Attribution | None,
        fix: str = "",
        block_line: int = 0,
        region: str | None = None,
        country: str | None = None,
    ) -> Finding:
        return Finding(
            rule_id=meta.id,
            severity=meta.severity,
            message=message,
            file=span.file,
            line=span.line,
            end_line=span.last_line,
            address=address,
            provider=att.provider_key if att else None,
            operator=att.operator if att else None,
            jurisdiction=att.jurisdiction if att else None,
            region=region if region is not None else (att.region if att else None),
            country=country if country is not None else (att.country if att else None),
            fix=fix or meta.fix,
            block_line=block_line or span.line,
        )


Check = Callable[[FactSet, Context], Iterator[Finding]]


def provider_fix(view: ProviderView, default: str) -> str:
    if view.entry is not None and view.entry.fix:
        return view.entry.fix
    return default
