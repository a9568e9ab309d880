"""Deterministic benchmark corpus: realistic Terraform modules (and later Kubernetes manifests).

    python bench/corpus.py OUT_DIR --modules 100 --manifests 100 --seed 1

The same seed always writes the same files, so runs on different machines or
commits measure the same input.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

CLOUDS = [
    (
        "aws",
        "hashicorp/aws",
        ["eu-west-3", "eu-central-1", "us-east-1", "eu-west-1"],
        "aws_s3_bucket",
        "bucket",
    ),
    (
        "scaleway",
        "scaleway/scaleway",
        ["fr-par", "nl-ams", "pl-waw"],
        "scaleway_object_bucket",
        "name",
    ),
    ("ovh", "ovh/ovh", ["GRA11", "SBG5", "DE1", "BHS5"], "ovh_cloud_project_kube", "name"),
    ("hcloud", "hetznercloud/hcloud", ["fsn1", "nbg1", "hel1", "ash"], "hcloud_server", "name"),
    (
        "google",
        "hashicorp/google",
        ["europe-west9", "europe-west1", "us-central1"],
        "google_storage_bucket",
        "name",
    ),
    (
        "azurerm",
        "hashicorp/azurerm",
        ["francecentral", "West Europe", "eastus"],
        "azurerm_resource_group",
        "name",
    ),
    (
        "outscale",
        "outscale/outscale",
        ["eu-west-2", "cloudgouv-eu-west-1"],
        "outscale_vm",
        "image_id",
    ),
]


def _module(rng: random.Random, index: int) -> dict[str, str]:
    picks = rng.sample(CLOUDS, k=rng.randint(1, 3))
    required = "\n".join(
        f'    {name} = {{\n      source  = "{source}"\n      version = ">= 1.0"\n    }}'
        for name, source, *_ in picks
    )
    files: dict[str, str] = {}
    files["versions.tf"] = (
        'terraform {\n  required_version = ">= 1.6"\n  required_providers {\n'
        + required
        + "\n  }\n"
        + (
            f'  backend "s3" {{\n    bucket = "state"\n    key    = "m{index}.tfstate"\n    region = "eu-west-3"\n  }}\n'
            if rng.random() < 0.5
            else ""
        )
        + "}\n"
    )
    variables = []
    main = []
    for name, _source, regions, rtype, name_attr in picks:
        region = rng.choice(regions)
        variables.append(
            f'variable "{name}_region" {{\n  type        = string\n  description = "Region for {name}"\n'
            f'  default     = "{region}"\n}}\n'
        )
        location_attr = {
            "ovh": "region",
            "hcloud": "location",
            "google": "location",
            "azurerm": "location",
        }.get(name)
        if name in ("aws", "scaleway", "google", "outscale"):
            main.append(f'provider "{name}" {{\n  region = var.{name}_region\n}}\n')
        for r in range(rng.randint(3, 8)):
            body = [f'  {name_attr} = "${{local.prefix}}-{name}-{r}"']
            if location_attr:
                body.append(f"  {location_attr} = var.{name}_region")
            body.append(f'  tags = {{\n    team  = "platform"\n    index = "{r}"\n  }}')
            if rng.random() < 0.2:
                body.append(
                    f"  description = <<-EOT\n    Managed by Terraform.\n    Module {index}.\n  EOT"
                )
            if rng.random() < 0.2:
                body.append(
                    '  dynamic "rule" {\n    for_each = var.rules\n    content {\n      name = rule.value\n    }\n  }'
                )
            if rng.random() < 0.1:
                body.append('  endpoint_url = "https://api.openai.com/v1"')
            main.append(f'resource "{rtype}" "r{r}" {{\n' + "\n".join(body) + "\n}\n")
    variables.append('variable "rules" {\n  type    = list(string)\n  default = ["a", "b"]\n}\n')
    files["variables.tf"] = "\n".join(variables)
    files["locals.tf"] = (
        f'locals {{\n  prefix = "m{index}"\n  common = {{\n    owner = "ops"\n  }}\n}}\n'
    )
    files["main.tf"] = "\n".join(main)
    if rng.random() < 0.3:
        name = picks[0][0]
        files["terraform.tfvars"] = f'{name}_region = "{rng.choice(picks[0][2])}"\n'
    return files


IMAGES = [
    "nginx:1.27",
    "docker.io/library/redis:7",
    "ghcr.io/acme/api:2.3.1",
    "rg.fr-par.scw.cloud/team/worker:1.0",
    "quay.io/prometheus/node-exporter:v1.8.0",
    "registry.k8s.io/ingress-nginx/controller:v1.11.0",
    "123456789012.dkr.ecr.eu-west-3.amazonaws.com/app:5",
    "harbor.internal.example/base/python:3.12",
]


def _deployment(rng: random.Random, name: str, namespace: str) -> str:
    containers = []
    for c in range(rng.randint(1, 3)):
        env = ""
        if rng.random() < 0.3:
            env = (
                "\n          env:\n            - name: OPENAI_BASE_URL\n"
                "              value: https://api.openai.com/v1\n            - name: LOG_LEVEL\n              value: info"
            )
        containers.append(
            f"        - name: c{c}\n          image: {rng.choice(IMAGES)}\n"
            f"          ports:\n            - containerPort: {8000 + c}{env}"
        )
    selector = ""
    if rng.random() < 0.3:
        zone = rng.choice(["eu-west-3a", "us-east-1b", "fr-par-1", "fsn1"])
        selector = f"\n      nodeSelector:\n        topology.kubernetes.io/zone: {zone}"
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {namespace}\n"
        f"  labels:\n    app: {name}\nspec:\n  replicas: {rng.randint(1, 5)}\n  selector:\n    matchLabels:\n"
        f"      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:{selector}\n"
        "      containers:\n" + "\n".join(containers) + "\n"
    )


def _service(name: str, namespace: str) -> str:
    return (
        f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n"
        f"  selector:\n    app: {name}\n  ports:\n    - port: 80\n      targetPort: 8000\n"
    )


def _manifest(rng: random.Random, index: int) -> str:
    namespace = f"team-{index % 17}"
    docs = [_deployment(rng, f"app-{index}-{d}", namespace) for d in range(rng.randint(1, 3))]
    docs.append(_service(f"app-{index}-0", namespace))
    if rng.random() < 0.2:  # a List wrapper
        items = "".join("  - " + doc.replace("\n", "\n    ").rstrip() + "\n" for doc in docs)
        return "apiVersion: v1\nkind: List\nitems:\n" + items
    return "---\n".join(docs)


def generate(out: Path, modules: int, seed: int = 1, manifests: int = 0) -> tuple[int, int]:
    """Write `modules` Terraform modules and `manifests` Kubernetes files under `out`; return (files, lines)."""
    rng = random.Random(seed)
    n_files = n_lines = 0
    for i in range(modules):
        directory = out / "terraform" / f"module-{i:05d}"
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in _module(rng, i).items():
            (directory / name).write_text(text)
            n_files += 1
            n_lines += text.count("\n")
    for i in range(manifests):
        directory = out / "kubernetes" / f"ns-{i // 100:03d}"
        directory.mkdir(parents=True, exist_ok=True)
        text = _manifest(rng, i)
        (directory / f"app-{i:05d}.yaml").write_text(text)
        n_files += 1
        n_lines += text.count("\n")
    return n_files, n_lines


def precommit(
    out: Path, tf_files: int = 20, manifests: int = 20, seed: int = 1
) -> tuple[Path, Path]:
    """The pre-commit case: one root module of `tf_files` files (versions, variables, locals
    and resource files) and a directory of manifests. Returns (staged .tf, staged manifest):
    the one file a commit changes in each."""
    rng = random.Random(seed)
    module = out / "module"
    module.mkdir(parents=True, exist_ok=True)
    picks = CLOUDS[:3]  # aws, scaleway, ovh
    (module / "versions.tf").write_text(
        'terraform {\n  required_version = ">= 1.6"\n  required_providers {\n'
        + "".join(f'    {n} = {{\n      source = "{src}"\n    }}\n' for n, src, *_ in picks)
        + '  }\n  backend "s3" {\n    bucket = "state"\n    key    = "app.tfstate"\n'
        + '    region = "eu-west-3"\n  }\n}\n'
    )
    (module / "variables.tf").write_text(
        "".join(
            f'variable "{n}_region" {{\n  type    = string\n  default = "{regions[0]}"\n}}\n\n'
            for n, _src, regions, *_ in picks
        )
    )
    (module / "locals.tf").write_text('locals {\n  prefix = "app"\n}\n')
    (module / "providers.tf").write_text(
        'provider "aws" {\n  region = var.aws_region\n}\n\n'
        'provider "scaleway" {\n  region = var.scaleway_region\n}\n'
    )
    for i in range(tf_files - 4):
        name, _source, _regions, rtype, name_attr = picks[i % len(picks)]
        location = "  region = var.ovh_region\n" if name == "ovh" else ""
        blocks = [
            f'resource "{rtype}" "f{i}_r{r}" {{\n  {name_attr} = "${{local.prefix}}-{i}-{r}"\n'
            f'{location}  tags = {{\n    team = "platform"\n  }}\n}}\n'
            for r in range(rng.randint(3, 6))
        ]
        (module / f"main-{i:02d}.tf").write_text("\n".join(blocks))
    kube = out / "kubernetes"
    kube.mkdir(parents=True, exist_ok=True)
    for i in range(manifests):
        (kube / f"app-{i:02d}.yaml").write_text(_manifest(rng, i))
    return module / "main-06.tf", kube / "app-07.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--modules", type=int, default=100)
    parser.add_argument("--manifests", type=int, default=0, help="Kubernetes manifest files")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    files, lines = generate(args.out, args.modules, args.seed, args.manifests)
    print(
        f"wrote {args.modules} modules and {args.manifests} manifests: {files} files, {lines} lines to {args.out}"
    )


if __name__ == "__main__":
    main()
