"""The sovereignty catalog: operators, providers, regions, hosts and profiles, loaded from `policies/`."""

from sovlint.catalog.model import Catalog, HostMatch, Operator, Provider, RegionInfo

__all__ = ["Catalog", "HostMatch", "Operator", "Provider", "RegionInfo"]
