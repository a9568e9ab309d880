"""The pre-commit hook, run by the real `pre-commit` against a commit of this working tree, and the
engine behaviour it relies on: passed files are judged in the context of their whole module and
only their findings are reported, except that a passed file defining values (tfvars, `variable`,
`locals`) reports its whole module, where those values are used."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reporthelp import AWS_BUCKET, SCALEWAY_BUCKET, scan_paths
from sovtest import ROOT

HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"

HCLOUD_MAIN = """terraform {
  required_providers {
    hcloud = {
      source = "hetznercloud/hcloud"
    }
  }
}

resource "hcloud_server" "app" {
  name        = "app"
  server_type = "cx22"
  image       = "debian-12"
  location    = var.location
}
"""


def variables(default: str) -> str:
    return f'variable "location" {{\n  type    = string\n  default = "{default}"\n}}\n'


# --- the hook definition ------------------------------------------------------------------------


def hook() -> dict[str, object]:
    hooks = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    (only,) = [h for h in hooks if h["id"] == "sovlint"]
    assert isinstance(only, dict)
    return only


def test_hook_definition() -> None:
    h = hook()
    assert h["entry"] == "sovlint scan"
    assert h["language"] == "python"
    assert h["pass_filenames"] is True
    assert h["require_serial"] is True
    files = re.compile(str(h["files"]))
    exclude = re.compile(str(h["exclude"]))

    def selected(path: str) -> bool:  # pre-commit's own rule: re.search on the repo-relative path
        return bool(files.search(path)) and not exclude.search(path)

    for path in (
        "main.tf",
        "infra/prod/network.tofu",
        "terraform.tfvars",
        "env/prod.tfvars",
        "x.auto.tfvars.json",
        "backends/prod.tfbackend",
        "stack.tf.json",
        "stack.tofu.json",
        "k8s/deploy.yaml",
        "k8s/svc.yml",
        "policy.json",
    ):
        assert selected(path), path
    for path in (
        "README.md",
        "main.py",
        "main.tf.bak",
        "tfvars",
        ".terraform/modules/vpc/main.tf",
        "infra/.terraform/providers/x.json",
    ):
        assert not selected(path), path


# --- the engine behaviour the hook relies on (fast, in-process) ----------------------------------


def rule_files(result_findings: list[object]) -> set[tuple[str, str]]:
    return {(f.rule_id, f.file) for f in result_findings}  # type: ignore[attr-defined]


def test_several_passed_files_of_one_module(tmp_path: Path) -> None:
    infra = tmp_path / "infra"
    infra.mkdir()
    (infra / "a.tf").write_text(HCLOUD_MAIN)
    (infra / "b.tf").write_text(
        'resource "hcloud_server" "b" {\n  name     = "b"\n  location = var.location\n}\n'
    )
    (infra / "c.tf").write_text(
        'resource "hcloud_server" "c" {\n  name     = "c"\n  location = "ash"\n}\n'
    )
    (infra / "variables.tf").write_text(variables("hil"))
    both = scan_paths([Path("infra/a.tf"), Path("infra/b.tf")], tmp_path)
    # judged with the default from variables.tf (not passed), reported only in a.tf and b.tf
    assert rule_files(both.findings) == {("SOV102", "infra/a.tf"), ("SOV102", "infra/b.tf")}
    assert all("'hil'" in f.message and "infra/variables.tf:3" in f.message for f in both.findings)
    alone = scan_paths([Path("infra/c.tf")], tmp_path)
    assert rule_files(alone.findings) == {("SOV102", "infra/c.tf")}
    whole = scan_paths([Path("infra")], tmp_path)
    assert rule_files(whole.findings) == {
        ("SOV102", "infra/a.tf"),
        ("SOV102", "infra/b.tf"),
        ("SOV102", "infra/c.tf"),
    }


def test_files_passed_from_two_modules(tmp_path: Path) -> None:
    for name, text in (("eu", SCALEWAY_BUCKET), ("us", AWS_BUCKET)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(text)
    result = scan_paths([Path("eu/main.tf"), Path("us/main.tf")], tmp_path)
    assert rule_files(result.findings) == {("SOV100", "us/main.tf"), ("SOV101", "us/main.tf")}


@pytest.mark.parametrize("passed", ["terraform.tfvars", "prod.auto.tfvars", "variables.tf"])
def test_a_passed_value_file_reports_where_its_values_are_used(tmp_path: Path, passed: str) -> None:
    infra = tmp_path / "infra"
    infra.mkdir()
    (infra / "main.tf").write_text(HCLOUD_MAIN)
    (infra / "variables.tf").write_text(variables("fsn1"))
    assert scan_paths([Path("infra/variables.tf")], tmp_path).findings == []
    if passed == "variables.tf":
        (infra / "variables.tf").write_text(variables("sin"))
    else:
        (infra / passed).write_text('location = "ash"\n')
    result = scan_paths([Path("infra") / passed], tmp_path)
    assert rule_files(result.findings) == {("SOV102", "infra/main.tf")}


def test_a_passed_locals_file_reports_its_module(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(HCLOUD_MAIN.replace("var.location", "local.where"))
    (tmp_path / "locals.tf").write_text('locals {\n  where = "hil"\n}\n')
    result = scan_paths([Path("locals.tf")], tmp_path)
    assert rule_files(result.findings) == {("SOV102", "main.tf")}


def test_a_passed_plain_file_does_not_report_its_neighbours(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(AWS_BUCKET)
    (tmp_path / "notes.tf").write_text("# nothing here\n")
    assert scan_paths([Path("notes.tf")], tmp_path).findings == []


# --- the real pre-commit ---------------------------------------------------------------------------

needs_precommit = pytest.mark.skipif(
    importlib.util.find_spec("pre_commit") is None or shutil.which("git") is None,
    reason="pre-commit (test extras) or git is not installed",
)


def git_env(home: Path) -> dict[str, str]:
    """The environment for git and pre-commit: a private PRE_COMMIT_HOME (hook environments) and
    no user or system git configuration (signing, core.hooksPath ... would change the outcome)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    empty = home.parent / "empty-gitconfig"
    empty.touch()
    env.update(
        PRE_COMMIT_HOME=str(home),
        GIT_AUTHOR_NAME="sovlint test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="sovlint test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(empty),
        NO_COLOR="1",
    )
    env.pop("VIRTUAL_ENV", None)
    return env


def sh(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> str:
    proc = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert proc.returncode == 0, f"{args}: {proc.stdout}{proc.stderr}"
    return proc.stdout


class Project:
    """A throwaway git repository using the sovlint hook at `rev` of the hook repository."""

    def __init__(self, path: Path, hook_repo: Path, rev: str, env: dict[str, str]) -> None:
        self.path = path
        self.env = env
        path.mkdir()
        self.git("init", "-q")
        (path / ".pre-commit-config.yaml").write_text(
            f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: sovlint\n"
        )

    def git(self, *args: str) -> str:
        return sh(["git", *args], self.path, self.env)

    def write(self, name: str, text: str) -> None:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    def commit_all(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--no-verify", "-m", message)

    def pre_commit(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args],
            cwd=self.path,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """A git commit of this working tree's installable parts, so the test exercises exactly the
    code under test whatever HEAD of the real checkout holds. Returns (repo, sha, PRE_COMMIT_HOME)."""
    base = tmp_path_factory.mktemp("hook")
    repo = base / "sovlint"
    repo.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("src", "policies"):
        shutil.copytree(ROOT / name, repo / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, repo / name)
    home = base / "pre-commit-home"
    env = git_env(home)
    sh(["git", "init", "-q"], repo, env)
    sh(["git", "add", "-A"], repo, env)
    sh(["git", "commit", "-q", "-m", "sovlint under test"], repo, env)
    sha = sh(["git", "rev-parse", "HEAD"], repo, env).strip()
    return repo, sha, home


@pytest.fixture
def project(tmp_path: Path, hook_repo: tuple[Path, str, Path]) -> Project:
    repo, sha, home = hook_repo
    return Project(tmp_path / "project", repo, sha, git_env(home))


@needs_precommit
def test_violating_commit_fails_and_fixed_one_passes(project: Project) -> None:
    project.write("infra/main.tf", AWS_BUCKET)
    project.write("README.md", "# project\n")
    project.commit_all("violating infrastructure")

    proc = project.pre_commit("run", "--all-files", "--color", "never")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "sovlint (sovereignty)" in out and "Failed" in out
    assert "infra/main.tf:5:1: SOV101 [high] aws_s3_bucket.this" in out
    assert "infra/main.tf:1:1: SOV100 [high] provider.aws" in out
    # .pre-commit-config.yaml was passed too (it matches .yaml) and is no finding
    assert ".pre-commit-config.yaml" not in out.replace("[INFO]", "")

    project.write("infra/main.tf", SCALEWAY_BUCKET)
    project.git("add", "infra/main.tf")
    proc = project.pre_commit("run", "--color", "never")  # the staged file only
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout
    project.git("commit", "-q", "--no-verify", "-m", "fixed")

    # the real user flow: `pre-commit install`, then `git commit` is refused
    installed = project.pre_commit("install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    head = project.git("rev-parse", "HEAD")
    project.write("infra/extra.tf", 'resource "aws_instance" "x" {\n  ami = "ami-1"\n}\n')
    project.git("add", "infra/extra.tf")
    proc = subprocess.run(
        ["git", "commit", "-m", "sneak in AWS"],
        cwd=project.path,
        env=project.env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode != 0
    assert "infra/extra.tf:1:1: SOV101" in proc.stdout + proc.stderr
    assert project.git("rev-parse", "HEAD") == head
    project.git("rm", "-q", "--cached", "infra/extra.tf")
    (project.path / "infra" / "extra.tf").unlink()
    project.write("infra/outputs.tf", 'output "bucket" {\n  value = "logs"\n}\n')
    project.git("add", "infra/outputs.tf")
    project.git("commit", "-q", "-m", "clean change")
    assert project.git("rev-parse", "HEAD") != head


@needs_precommit
def test_staged_file_is_judged_with_its_module(project: Project) -> None:
    project.write("infra/main.tf", HCLOUD_MAIN)
    project.write("infra/variables.tf", variables("hil"))  # the default lives in another file
    project.write("infra/legacy.tf", AWS_BUCKET)  # an old violation in an untouched file
    project.commit_all("module")

    project.write("infra/main.tf", HCLOUD_MAIN.replace('"cx22"', '"cx32"'))
    project.git("add", "infra/main.tf")  # only main.tf is staged and passed
    proc = project.pre_commit("run", "--color", "never")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "infra/main.tf:13:1: SOV102 [high] hcloud_server.app" in out
    assert "'hil'" in out and "infra/variables.tf:3" in out  # named where the default is
    assert "legacy.tf" not in out  # tflint's --filter model: only the passed files' findings
    project.git("commit", "-q", "--no-verify", "-m", "resize")

    # a value file staged alone is judged where its values are used
    project.git("rm", "-q", "infra/legacy.tf")
    project.git("commit", "-q", "--no-verify", "-m", "drop legacy")
    project.write("infra/variables.tf", variables("nbg1"))
    project.git("add", "infra/variables.tf")
    proc = project.pre_commit("run", "--color", "never")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    project.git("commit", "-q", "--no-verify", "-m", "move to Nuremberg")

    project.write("infra/terraform.tfvars", 'location = "ash"\n')
    project.git("add", "infra/terraform.tfvars")
    proc = project.pre_commit("run", "--color", "never")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "infra/main.tf:13:1: SOV102 [high] hcloud_server.app" in out
    assert "'ash'" in out and "infra/terraform.tfvars:1" in out
