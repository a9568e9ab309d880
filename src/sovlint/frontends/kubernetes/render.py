"""Rendering Helm charts and Kustomize overlays with the user's own tools, only when asked.

`--render helm` runs `helm template`; `--render kustomize` runs `kustomize build` (or
`kubectl kustomize`). Both come from PATH, run without standard input, with a timeout; their
output is then read like any manifest. Nothing here runs without the explicit flag.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

RENDERERS = ("helm", "kustomize")
RENDER_TIMEOUT = 120.0  # seconds per chart or overlay
RELEASE_NAME = "sovlint"
ORIGIN_ANNOTATION = "config.kubernetes.io/origin"


class RenderToolMissing(Exception):
    """The tool a --render mode needs is not on PATH (a usage error, exit 2)."""


class RenderFailed(Exception):
    """The tool ran and failed (reported as SOV001 on the chart or kustomization)."""


def tool_command(kind: str) -> list[str]:
    """The command prefix for a renderer, or RenderToolMissing naming what to install."""
    if kind == "helm":
        helm = shutil.which("helm")
        if helm is None:
            raise RenderToolMissing(
                "--render helm needs the `helm` binary on PATH: install Helm 3 "
                "(https://helm.sh/docs/intro/install/) or drop --render helm"
            )
        return [helm, "template"]
    if kind == "kustomize":
        kustomize = shutil.which("kustomize")
        if kustomize is not None:
            return [kustomize, "build"]
        kubectl = shutil.which("kubectl")
        if kubectl is not None:
            return [kubectl, "kustomize"]
        raise RenderToolMissing(
            "--render kustomize needs `kustomize` or `kubectl` on PATH: install kustomize "
            "(https://kubectl.docs.kubernetes.io/installation/kustomize/) or kubectl, "
            "or drop --render kustomize"
        )
    raise RenderToolMissing(f"unknown --render mode {kind!r} (choose from: {', '.join(RENDERERS)})")


def _run(command: list[str], timeout: float | None) -> str:
    timeout = RENDER_TIMEOUT if timeout is None else timeout
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderFailed(f"`{' '.join(command[:2])}` timed out after {timeout:g}s") from None
    except OSError as exc:
        raise RenderFailed(f"cannot run {command[0]}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = "; ".join(line.strip() for line in err[-3:] if line.strip()) or "no message"
        raise RenderFailed(
            f"`{Path(command[0]).name} {command[1]}` exited {done.returncode}: {detail}"
        )
    try:
        return done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise RenderFailed("rendered output is not valid UTF-8") from None


def render_helm(chart: Path, timeout: float | None = None) -> str:
    """`helm template sovlint CHART` with the chart's default values."""
    return _run([*tool_command("helm"), RELEASE_NAME, str(chart)], timeout)


def render_kustomize(directory: Path, timeout: float | None = None) -> tuple[str, str]:
    """(output, wrapper directory) of `kustomize build` on a wrapper that adds origin annotations.

    The wrapper kustomization only lists DIRECTORY as its resource and asks for
    `buildMetadata: [originAnnotations]`, so each object says which file it came from; origin
    paths are relative to the wrapper directory (returned, although it no longer exists).
    If the wrapper cannot be built, the directory is built as it is (no origins).
    """
    command = tool_command("kustomize")
    with tempfile.TemporaryDirectory(prefix="sovlint-kustomize-") as tmp:
        wrapper = Path(tmp)
        relative = os.path.relpath(directory.resolve(), wrapper.resolve())
        (wrapper / "kustomization.yaml").write_text(
            f"resources:\n- {relative}\nbuildMetadata: [originAnnotations]\n", encoding="utf-8"
        )
        try:
            return _run([*command, str(wrapper)], timeout), str(wrapper.resolve())
        except RenderFailed:
            pass
    return _run([*command, str(directory)], timeout), ""
