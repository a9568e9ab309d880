"""How the text report is laid out (`--output-format`, `--group-by`, `--statistics` ...)."""

from __future__ import annotations

from dataclasses import dataclass

TEXT_VIEWS = ("full", "concise", "grouped")
GROUP_BY = ("file", "operator")


@dataclass(frozen=True)
class TextOptions:
    view: str = "full"  # full | concise | grouped
    group_by: str = "file"  # grouped view: file | operator
    statistics: bool = False  # counts by rule and by operator instead of the findings
    quiet: bool = False  # findings only: no summary line
    show_suppressed: bool = False  # also list suppressed findings, with reason and expiry
    per_family: int = 10  # full view: findings shown per (rule, operator) family; 0 = all
