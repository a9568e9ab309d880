"""Reporters render a finished scan; they never judge anything themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sovlint.engine import ScanResult
from sovlint.profiles import Profile


@dataclass
class Report:
    result: ScanResult
    profile: Profile
    tool_version: str
    catalog_overrides: list[str]


Renderer = Callable[[Report, bool], str]


def renderer(fmt: str) -> Renderer:
    if fmt == "text":
        from sovlint.reporters.text import render as text_render

        return text_render
    if fmt == "json":
        from sovlint.reporters.json_report import render as json_render

        return json_render
    raise ValueError(f"unknown format {fmt!r}")


FORMATS = ("text", "json")
