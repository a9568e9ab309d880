"""Which files are scanned, and how they group into modules."""

from __future__ import annotations

from pathlib import Path

from sovlint.discovery import discover


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_modules_var_files_and_skipped_dirs(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "a/main.tf": "",
            "a/vars.tf.json": "{}",
            "a/terraform.tfvars": "",
            "a/x.auto.tfvars": "",
            "a/b.auto.tfvars.json": "{}",
            "a/other.tfvars": "",
            "a/.terraform/modules/m/main.tf": "",
            "b/main.tofu": "",
            "b/main.tf": "",
            "b/extra.tf": "",
            ".git/x.tf": "",
            "node_modules/y.tf": "",
            "legacy/old.tf": "",
        },
    )
    disc = discover([tmp_path], exclude=("legacy",))
    mods = {p.relative_to(tmp_path).as_posix(): m for p, m in disc.modules.items()}
    assert sorted(mods) == ["a", "b"]
    assert [p.name for p in mods["a"].files] == ["main.tf", "vars.tf.json"]
    assert [p.name for p in mods["a"].var_files] == [
        "terraform.tfvars",
        "b.auto.tfvars.json",
        "x.auto.tfvars",
    ]
    assert sorted(p.name for p in mods["b"].files) == ["extra.tf", "main.tofu"]


def test_explicit_file_loads_its_module_but_reports_only_it(tmp_path: Path) -> None:
    _write(tmp_path, {"m/main.tf": "", "m/variables.tf": ""})
    disc = discover([tmp_path / "m" / "main.tf"])
    (mod,) = disc.modules.values()
    assert sorted(p.name for p in mod.files) == ["main.tf", "variables.tf"]
    assert mod.only == {tmp_path / "m" / "main.tf"}


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    disc = discover([tmp_path / "nope"])
    assert disc.problems and "cannot read" in disc.problems[0][1]
