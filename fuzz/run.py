"""Fuzz sovlint's frontends for a bounded time.

    python fuzz/run.py --seconds 60                    # every target, 60 s each
    python fuzz/run.py --target hcl --seconds 300      # one target
    python fuzz/run.py --engine random --seconds 5     # no atheris needed

Engines: `atheris` (coverage-guided libFuzzer, `pip install '.[fuzz]'`; each target runs in its
own process) and `random` (a seeded mutational fuzzer in pure Python, always available; used
when atheris is not installed, and by the test suite). Targets are in fuzz/targets.py.

A crash (an exception no target documents) is saved under fuzz/crashes/ and the run exits 1;
turn it into a regression fixture under fixtures/hostile/<target>/ once fixed.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import random
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from targets import TARGETS  # noqa: E402

# Small seeds per target (written here, not copied from anywhere), plus the regression
# fixtures under fixtures/hostile/<target>/.
SEEDS: dict[str, list[bytes]] = {
    "hcl": [
        b'provider "aws" {\n  region = "us-east-1"\n}\n',
        b'resource "aws_s3_bucket" "b" {\n  bucket = "x-${var.env}"\n  tags = { a = [1, 2] }\n}\n',
        b"locals {\n  p = <<-EOT\n    body\n    EOT\n  m = { for k, v in var.x : k => v if v != null }\n}\n",
        b'module "m" {\n  source = "./m"\n  region = lower("EU-WEST-3")\n}\n',
        b'terraform {\n  backend "s3" {\n    bucket = "b"\n    region = "us-east-1"\n  }\n}\n',
    ],
    "tfjson": [
        b'{"provider": {"aws": {"region": "us-east-1"}}}',
        b'{"resource": {"aws_s3_bucket": {"b": {"bucket": "${var.x}"}}}, "//": "c"}',
        b'{"terraform": {"backend": {"s3": {"region": "eu-west-3"}}}, "locals": [{"a": 1}]}',
    ],
    "plan": [
        b'{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module":'
        b' {"resources": [{"address": "aws_s3_bucket.b", "type": "aws_s3_bucket", "name": "b",'
        b' "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"region": "us-east-1"}}]}},'
        b' "configuration": {"provider_config": {"aws": {"name": "aws", "expressions":'
        b' {"region": {"constant_value": "us-east-1"}}}}}}',
    ],
    "config": [
        b"profile: sovereign-eu\nexclude: [a, b]\n",
        b"disable: [SOV106]\nseverity:\n  SOV103: high\nfail_on: medium\n",
        b"allow_countries: [CH]\nallow_providers: [aws]\ncatalog: [x.yaml]\n",
    ],
    "k8s": [
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: docker.io/x:1\n",
        b"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n  spec: {type: LoadBalancer}\n",
        b'{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "annotations":'
        b' {"sovlint.io/ignore": "SOV200"}}, "spec": {"template": {"spec": {"nodeSelector":'
        b' {"topology.kubernetes.io/region": "us-east-1"}, "containers": [{"image": "gcr.io/x"}]}}}}',
        b"a: &a [1]\nb: *a\n---\napiVersion: v1\nkind: ConfigMap\ndata:\n  <<: {x: 1}\n",
    ],
}
TOKENS = [
    b"{", b"}", b"[", b"]", b"(", b")", b'"', b"${", b"%{", b"<<EOT\n", b"\nEOT\n", b"\n", b"\r\n",
    b"\r", b"#", b"//", b"/*", b"*/", b":", b",", b"- ", b"&a ", b"*a", b"!!python/object ",
    b"---\n", b"\\u", b"\\ud800", b"\t", b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xff\xfe", b"1e999",
    b"9" * 40, b"apiVersion: v1\nkind: Pod\n", b'"format_version": "1.0"', b"null", b"true",
]  # fmt: skip


def seeds(target: str) -> list[bytes]:
    extra = sorted((ROOT / "fixtures" / "hostile" / target).glob("*"))
    return SEEDS[target] + [p.read_bytes() for p in extra if p.is_file()]


def mutate(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(8)
        pos = rng.randint(0, len(buf))
        if op == 0 and buf:  # flip a bit
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1:  # insert a token
            buf[pos:pos] = rng.choice(TOKENS)
        elif op == 2 and buf:  # delete a range
            buf[pos : pos + rng.randint(1, 16)] = b""
        elif op == 3 and buf:  # repeat a chunk (nesting, long lines)
            end = min(len(buf), pos + rng.randint(1, 8))
            buf[pos:pos] = bytes(buf[pos:end]) * rng.randint(2, 300)
        elif op == 4:  # splice another input
            other = rng.choice(pool)
            cut = rng.randint(0, len(other))
            buf[pos:] = other[cut:]
        elif op == 5 and buf:  # truncate
            del buf[pos:]
        elif op == 6:  # random byte
            buf[pos:pos] = bytes([rng.randrange(256)])
        else:  # nest: wrap a slice in brackets, many times
            depth = rng.choice([2, 50, 600, 5000])
            buf[pos:pos] = rng.choice([b"[", b"{a=", b"(", b"- "]) * depth
    return bytes(buf[: 1 << 20])


# Imported under atheris' instrumentation (the targets import lazily, which would be too late).
INSTRUMENTED = [
    "sovlint.readfile",
    "sovlint.jsonpos",
    "sovlint.yamlpos",
    "sovlint.config",
    "sovlint.hclmodel",
    "sovlint.frontends.terraform.hcl_native",
    "sovlint.frontends.terraform.hcl_json",
    "sovlint.frontends.terraform.evaluate",
    "sovlint.frontends.terraform.module_input",
    "sovlint.frontends.terraform.facts_base",
    "sovlint.frontends.terraform.facts_backends",
    "sovlint.frontends.terraform.facts_providers",
    "sovlint.frontends.terraform.facts_resources",
    "sovlint.frontends.terraform.facts",
    "sovlint.frontends.terraform.plan",
    "sovlint.frontends.kubernetes.nodes",
    "sovlint.frontends.kubernetes.yaml_compose",
    "sovlint.frontends.kubernetes.stream",
    "sovlint.frontends.kubernetes.objects",
    "sovlint.frontends.kubernetes.extractor",
    "sovlint.frontends.kubernetes.builder",
    "sovlint.frontends.kubernetes.helm_charts",
    "sovlint.frontends.kubernetes.kustomize",
    "sovlint.frontends.kubernetes.scan",
    "sovlint.rules",
    "hcl2",
    "lark",
]


class Crash(Exception):
    def __init__(self, target: str, data: bytes, trace: str) -> None:
        super().__init__(f"{target}: {trace.strip().splitlines()[-1]}")
        self.target = target
        self.data = data
        self.trace = trace


def run_random(
    target: str, seconds: float, seed: int = 0, max_runs: int | None = None
) -> tuple[int, int]:
    """Mutational fuzzing of one target; raises Crash. Returns (runs, distinct inputs kept)."""
    fn: Callable[[bytes], None] = TARGETS[target]
    rng = random.Random(seed)
    pool = list(seeds(target))
    for data in pool:
        _call(target, fn, data)
    deadline = time.monotonic() + seconds
    runs = 0
    while time.monotonic() < deadline and (max_runs is None or runs < max_runs):
        data = mutate(rng, rng.choice(pool), pool)
        _call(target, fn, data)
        runs += 1
        if len(pool) < 500 and rng.random() < 0.05:
            pool.append(data)  # keep some mutants as parents (no coverage feedback here)
    return runs, len(pool)


def _call(target: str, fn: Callable[[bytes], None], data: bytes) -> None:
    try:
        fn(data)
    except Exception:
        raise Crash(target, data, traceback.format_exc()) from None


def save(crash: Crash) -> Path:
    out = HERE / "crashes"
    out.mkdir(exist_ok=True)
    path = out / f"{crash.target}-{hashlib.sha256(crash.data).hexdigest()[:16]}.bin"
    path.write_bytes(crash.data)
    return path


def run_atheris(target: str, seconds: int) -> int:
    """One target under atheris, in a child process (atheris.Fuzz() never returns)."""
    code = (
        "import sys, atheris\n"
        f"sys.path[:0] = [{str(ROOT / 'src')!r}, {str(HERE)!r}]\n"
        "with atheris.instrument_imports():\n"
        "    import targets\n"
        f"    for name in {INSTRUMENTED!r}:\n"
        "        __import__(name)\n"
        f"fn = targets.TARGETS[{target!r}]\n"
        "atheris.Setup(sys.argv, fn)\n"
        "atheris.Fuzz()\n"
    )
    corpus = HERE / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    for i, data in enumerate(seeds(target)):
        (corpus / f"seed-{i}").write_bytes(data)
    crashes = HERE / "crashes"
    crashes.mkdir(exist_ok=True)
    args = [
        sys.executable,
        "-c",
        code,
        f"-max_total_time={seconds}",
        f"-artifact_prefix={crashes}/{target}-",
        "-rss_limit_mb=4096",
        "-timeout=30",
        str(corpus),
    ]
    return subprocess.run(args, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--seconds", type=float, default=60, help="per target")
    parser.add_argument("--engine", choices=["auto", "atheris", "random"], default="auto")
    parser.add_argument("--seed", type=int, default=0, help="random engine only")
    args = parser.parse_args(argv)
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if importlib.util.find_spec("atheris") else "random"
    if engine == "atheris" and importlib.util.find_spec("atheris") is None:
        parser.error("atheris is not installed (pip install '.[fuzz]'), use --engine random")
    names = list(TARGETS) if args.target == "all" else [args.target]
    failed = 0
    for name in names:
        if engine == "atheris":
            rc = run_atheris(name, max(1, int(args.seconds)))
            print(f"{name}: atheris exit {rc}")
            failed += rc != 0
            continue
        try:
            runs, _kept = run_random(name, args.seconds, args.seed)
        except Crash as crash:
            print(f"{name}: CRASH, input saved to {save(crash)}\n{crash.trace}")
            failed += 1
            continue
        print(f"{name}: {runs} inputs, no crash")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
