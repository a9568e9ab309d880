"""Inventory verdicts on real repositories, and the silent unknowns among them (issue #12).

    python bench/unknowns.py DIR [DIR ...]                  # every profile, a Markdown table
    python bench/unknowns.py --profile residency-eu DIR ...
    python bench/unknowns.py --json counts.json DIR ...     # also write the counts

Each DIR is scanned as `sovlint scan DIR -p PROFILE -f json --no-cache --jobs 1`. Every
inventory item of the JSON report (schema_version 3) has a verdict (sovereign, neutral,
not_sovereign, unknown) and `findings`, the fingerprints of the findings that report it. A
*silent* unknown is an item whose verdict is `unknown` and which no finding reports: the gate
would pass it without saying so. The product rule is zero; the table counts them per
framework (Terraform items; Kubernetes objects, Helm charts and Compose services). Exit 1 when any is silent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

PROFILES = ("sovereign-eu", "residency-eu", "secnumcloud")
VERDICTS = ("sovereign", "neutral", "not_sovereign", "unknown")
MANIFEST_KINDS = ("kubernetes", "helm_chart", "compose")  # the rest: Terraform items


def counts(directory: Path, profile: str) -> Counter[str]:
    """Verdict counts, and silent unknowns per framework ("silent:terraform" ...)."""
    proc = subprocess.run(
        [sys.executable, "-m", "sovlint", "scan", str(directory), "-p", profile,
         "-f", "json", "--no-cache", "--jobs", "1"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{directory}: sovlint exited {proc.returncode}: {proc.stderr[-500:]}")
    report = json.loads(proc.stdout)
    fingerprints = {f["fingerprint"] for f in report["findings"]}
    out: Counter[str] = Counter()
    for item in report["inventory"]:
        out[item["verdict"]] += 1
        if item["verdict"] == "unknown" and not set(item["findings"]) & fingerprints:
            framework = "kubernetes" if item["kind"] in MANIFEST_KINDS else "terraform"
            out["silent:" + framework] += 1
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--profile", action="append", choices=PROFILES)
    parser.add_argument("--json", type=Path, help="also write the counts to this file")
    args = parser.parse_args()
    profiles = args.profile or list(PROFILES)
    columns = [*VERDICTS, "silent:terraform", "silent:kubernetes"]
    print("| profile | repository | " + " | ".join(columns) + " |")
    print("|---|---|" + "---:|" * len(columns))
    table: dict[str, dict[str, dict[str, int]]] = {}
    silent = 0
    for profile in profiles:
        total: Counter[str] = Counter()
        for directory in args.dirs:
            found = counts(directory, profile)
            total += found
            table.setdefault(profile, {})[directory.name] = dict(found)
            print(f"| {profile} | {directory.name} | " + " | ".join(
                f"{found[c]:,}" for c in columns) + " |")  # fmt: skip
        silent += total["silent:terraform"] + total["silent:kubernetes"]
        print(
            f"| {profile} | **total** | " + " | ".join(f"**{total[c]:,}**" for c in columns) + " |"
        )
    if args.json:
        args.json.write_text(json.dumps(table, indent=2, sort_keys=True) + "\n")
    return 1 if silent else 0


if __name__ == "__main__":
    sys.exit(main())
