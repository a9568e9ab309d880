"""Checkov's entity names <-> sovlint's addresses."""

from __future__ import annotations

import re

_MODULE_SEGMENT = re.compile(r"module\.[^.\[\]]+(?:\[[^\]]*\])?\.")
MODULE_NAME = re.compile(r"module\.([^.\[\]]+(?:\[[^\]]*\])?)\.")


def split_module_prefix(address: str) -> tuple[str, str]:
    """'module.a.module.b["x"].aws_s3_bucket.c' -> ('module.a.module.b["x"].', 'aws_s3_bucket.c')."""
    pos = 0
    while True:
        m = _MODULE_SEGMENT.match(address, pos)
        if m is None:
            return address[:pos], address[pos:]
        pos = m.end()


def sovlint_address(block_type: str, checkov_address: str) -> str:
    """Checkov's entity name -> sovlint's address.

    resource `aws_s3_bucket.a` -> `aws_s3_bucket.a`; data `aws_region.r` -> `data.aws_region.r`;
    provider `aws.default` -> `provider.aws`, `aws.us` -> `provider.aws.us`;
    module `net` -> `module.net`, `module.a.net` -> `module.a.module.net`.
    """
    prefix, local = split_module_prefix(checkov_address)
    if block_type == "data":
        return f"{prefix}data.{local}"
    if block_type == "provider":
        name, _, alias = local.partition(".")
        return f"{prefix}provider.{name}" + (f".{alias}" if alias and alias != "default" else "")
    if block_type == "module":
        return f"{prefix}module.{local}"
    return prefix + local


def checkov_name(address: str) -> str:
    """sovlint's address -> the resource name Checkov prints (the inverse of `sovlint_address`)."""
    prefix, local = split_module_prefix(address)
    if local.startswith("module."):
        return prefix + local[len("module.") :]
    if local.startswith("data."):
        return prefix + local[len("data.") :]
    if local.startswith("provider."):
        name, _, alias = local[len("provider.") :].partition(".")
        return f"{prefix}{name}.{alias or 'default'}"
    return prefix + local
