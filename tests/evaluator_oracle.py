"""`terraform console` (or `tofu console`) as the oracle for the static evaluator.

Many expressions go to one console process as one `jsonencode([...])`, each wrapped in
`try(jsonencode(x), "__ERROR__")` so an error in one does not hide the others.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from sovlint.frontends.terraform.evaluator import Evaluator, Unknown, unknown_in
from sovlint.frontends.terraform.evaluator.functions.encoding import jsonencode
from sovlint.hclmodel import Expression

CONSOLE = shutil.which("terraform") or shutil.which("tofu")
SKIP_REASON = "neither terraform nor tofu is on PATH: no oracle for the differential tests"
ERROR = "__ERROR__"


def console_values(expressions: list[str], workdir: Path) -> list[object]:
    """Terraform's value of each expression (decoded JSON), or ERROR."""
    assert CONSOLE is not None
    items = ", ".join(f'try(jsonencode({e}), "{ERROR}")' for e in expressions)
    env = dict(os.environ, TF_CLI_CONFIG_FILE=os.devnull, CHECKPOINT_DISABLE="1")
    proc = subprocess.run(
        [CONSOLE, "console"],
        input=f"jsonencode([{items}])\n",
        capture_output=True,
        text=True,
        timeout=120,
        cwd=workdir,
        env=env,
    )
    out = proc.stdout.strip()
    assert proc.returncode == 0 and out, f"console failed: {proc.stderr[-2000:]}"
    encoded = json.loads(json.loads(out))
    return [ERROR if e == ERROR else json.loads(e) for e in encoded]


def sovlint_value(expression: str, workdir: Path | None = None) -> object:
    """The evaluator's value, JSON-shaped like the console's, or ERROR / the Unknown."""
    ev = Evaluator({}, {}, module_dir=workdir)
    value = ev.evaluate(Expression(expression, 1))
    found = unknown_in(value)
    if isinstance(found, Unknown):
        return ERROR if "an error in Terraform" in found.reason else found
    return json.loads(jsonencode(value))


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="sovlint-console-"))
