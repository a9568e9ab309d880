"""`-backend-config` files (`*.tfbackend`): found with their root module, each judged as one
candidate completion of its backend block, located where it decides, linked in the inventory.

The fixture cases (fixtures/terraform/backend-config-*) pin the verdicts per profile; these
tests pin discovery, the merge over the block, passed files and the inventory links.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sovlint.discovery import discover, module_backend_files
from sovlint.frontends.terraform.facts import ModuleInput, build_facts
from sovlint.frontends.terraform.parse import parse_file
from sovtest import catalog, run_scan
from test_report_contract import contract_problems, json_report


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


PARTIAL = 'terraform {\n  backend "s3" {}\n}\n'


def test_backend_files_of_the_module_and_its_module_less_subdirectories(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "root/main.tf": PARTIAL,
            "root/dev.tfbackend": "",
            "root/backends/prod.tfbackend": "",
            "root/env/prod/backend.tfbackend": "",
            "root/env/prod/terraform.tfvars": "",
            # a subdirectory with Terraform files is another module: its files are its own
            "root/modules/net/main.tf": "",
            "root/modules/net/net.tfbackend": "",
            "root/.terraform/x.tfbackend": "",
            "root/backend.hcl": "",  # not Terraform's documented name: not guessed
            "nowhere/orphan.tfbackend": "",  # no module above it
        },
    )
    disc = discover([tmp_path])
    root = disc.modules[tmp_path / "root"]
    expected = [
        tmp_path / "root" / p
        for p in ("backends/prod.tfbackend", "dev.tfbackend", "env/prod/backend.tfbackend")
    ]
    assert root.backend_files == expected
    assert disc.modules[tmp_path / "root/modules/net"].backend_files == [
        tmp_path / "root/modules/net/net.tfbackend"
    ]
    assert not any(p.suffix == ".tfbackend" for p in disc.others)
    assert module_backend_files(tmp_path / "root") == expected
    # a passed .tf file brings its module's backend files, like its tfvars
    (mod,) = discover([tmp_path / "root" / "main.tf"]).modules.values()
    assert mod.backend_files == expected


def test_excluded_backend_files_are_excluded_however_the_module_is_reached(
    tmp_path: Path,
) -> None:
    """One verdict however sovlint is invoked: an excluded `backends/` is left out of a
    directory walk and of a passed .tf file's module alike."""
    _write(
        tmp_path,
        {
            "main.tf": PARTIAL,
            "dev.tfbackend": "",
            "backends/prod.tfbackend": "",
        },
    )
    exclude = ("backends",)
    walked = discover([tmp_path], exclude=exclude).modules[tmp_path].backend_files
    (passed,) = discover([tmp_path / "main.tf"], exclude=exclude).modules.values()
    assert walked == passed.backend_files == [tmp_path / "dev.tfbackend"]


def test_a_passed_backend_file_reports_its_whole_module(tmp_path: Path) -> None:
    """pre-commit passes only the changed prod.tfbackend: its module is judged and the
    backend's findings are reported (a backend file defines values, like a tfvars file)."""
    _write(
        tmp_path,
        {
            "main.tf": 'terraform {\n  backend "s3" {\n    region = "us-east-1"\n  }\n}\n',
            "backends/prod.tfbackend": 'bucket = "state"\n',
        },
    )
    passed = tmp_path / "backends" / "prod.tfbackend"
    (mod,) = discover([passed]).modules.values()
    assert mod.directory == tmp_path and mod.only == {passed}
    result = run_scan(tmp_path, "residency-eu", paths=[passed])
    found = sorted((f.rule_id, f.file, f.line) for f in result.findings)
    # the block's own region is also what `terraform init` without the file uses
    assert found == [
        ("SOV102", "main.tf", 3),
        ("SOV105", "backends/prod.tfbackend", 1),
        ("SOV105", "main.tf", 2),
    ]


def test_a_file_setting_overrides_the_block_and_the_rest_is_the_blocks(tmp_path: Path) -> None:
    """Terraform merges the file over the block: a file's region replaces the block's; a
    file without one keeps the block's, reported at the block and linked from the item."""
    _write(
        tmp_path,
        {
            "main.tf": 'terraform {\n  backend "s3" {\n    region = "us-east-1"\n  }\n}\n',
            "paris.tfbackend": 'bucket = "state"\nregion = "eu-west-3"\n',
            "bucket-only.tfbackend": 'bucket = "state"\n',
        },
    )
    result = run_scan(tmp_path, "residency-eu")
    found = sorted((f.rule_id, f.file, f.line) for f in result.findings)
    assert found == [
        ("SOV102", "main.tf", 3),
        ("SOV105", "bucket-only.tfbackend", 1),
        ("SOV105", "main.tf", 2),  # `terraform init` with no file: the block as written
    ]
    sov105 = next(
        f for f in result.findings if f.rule_id == "SOV105" and f.file == "bucket-only.tfbackend"
    )
    assert "with -backend-config=bucket-only.tfbackend" in sov105.message
    report = json_report(tmp_path, "residency-eu")
    assert contract_problems(report) == []
    items = {i["file"]: i for i in report["inventory"] if i["kind"] == "backend"}
    assert sorted(items) == ["bucket-only.tfbackend", "main.tf", "paris.tfbackend"]
    assert items["main.tf"]["verdict"] == "not_sovereign"
    assert items["paris.tfbackend"]["verdict"] == "sovereign"
    assert items["paris.tfbackend"]["country"] == "FR"
    linked = {f["fingerprint"]: f for f in report["findings"]}
    rules = sorted(linked[fp]["rule_id"] for fp in items["bucket-only.tfbackend"]["findings"])
    assert items["bucket-only.tfbackend"]["verdict"] == "not_sovereign"
    # its own, and the block's findings (the region it keeps, the block as written alone)
    assert rules == ["SOV102", "SOV105", "SOV105"]


def test_without_a_backend_file_the_operator_is_unknown_never_aws(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": PARTIAL})
    for profile in ("sovereign-eu", "residency-eu", "secnumcloud"):
        report = json_report(tmp_path, profile)
        (item,) = report["inventory"]
        assert (item["operator"], item["provider"], item["verdict"]) == (None, None, "unknown")
        (finding,) = report["findings"]
        assert finding["rule_id"] == "SOV104" and finding["fingerprint"] in item["findings"]
        assert "no `*.tfbackend` file" in finding["message"]
        assert ".tfbackend" in finding["fix"] and "KEY=VALUE" in finding["fix"]


def test_a_backend_file_is_not_read_for_a_module_without_a_backend_block(tmp_path: Path) -> None:
    """`-backend-config` without a backend block is ignored by Terraform (local state)."""
    _write(
        tmp_path,
        {"main.tf": "terraform {}\n", "prod.tfbackend": 'region = "us-east-1"\n'},
    )
    assert run_scan(tmp_path, "residency-eu").findings == []


_KEYS = ("bucket", "key", "region", "endpoint", "profile")
_settings = st.dictionaries(
    st.sampled_from(_KEYS), st.text(alphabet="abcdef-123", min_size=1, max_size=8), max_size=5
)


def _lines(settings: dict[str, str], indent: str = "") -> str:
    return "".join(f'{indent}{name} = "{value}"\n' for name, value in settings.items())


@settings(max_examples=60, deadline=None)
@given(block=_settings, given_=_settings)
def test_the_file_replaces_the_blocks_settings_and_locates_the_candidate(
    block: dict[str, str], given_: dict[str, str]
) -> None:
    """Whatever the block and the file set: the candidate's settings are the block's with
    the file's over them, each located where it is written, and the candidate sits at the
    file's endpoint line, else its region line, else its first line."""
    main = parse_file(
        Path("main.tf"),
        'terraform {\n  backend "s3" {\n' + _lines(block, "    ") + "  }\n}\n",
        "main.tf",
        False,
    )
    config = parse_file(Path("p.tfbackend"), _lines(given_), "p.tfbackend", True)
    facts = build_facts(ModuleInput("u", [main], backend_files=[config]), catalog())
    (be,) = [b for b in facts.backends if b.config_file is not None]
    # the block alone is a candidate too when it says where state goes (init with no file)
    spec = catalog().backends["s3"]
    deciding = {*spec.endpoint_attributes, *spec.host_attributes, *spec.location_attributes}
    alone = [b for b in facts.backends if b.config_file is None]
    assert len(alone) == (1 if deciding & set(block) else 0)
    merged = {**block, **given_}
    assert {k: v.value for k, v in be.settings.items()} == merged
    assert be.config_file == "p.tfbackend" and be.block is not None and be.block.line == 2
    for loc in be.locations:
        assert loc.span.file == ("p.tfbackend" if loc.attribute in given_ else "main.tf")
    order = list(given_)
    decisive = next((k for k in ("endpoint", "region") if k in given_), None)
    line = order.index(decisive) + 1 if decisive else 1
    assert (be.span.file, be.span.line) == ("p.tfbackend", line)


def test_a_plan_with_source_judges_the_candidates(tmp_path: Path) -> None:
    """The JSON plan does not record the backend: with --source it comes from the
    configuration, completed by its backend files."""
    _write(
        tmp_path,
        {
            "main.tf": PARTIAL,
            "prod.tfbackend": 'bucket = "b"\nregion = "us-east-1"\n',
            "plan.json": '{"format_version": "1.2", "planned_values": {"root_module": {}}}',
        },
    )
    result = run_scan(tmp_path, "residency-eu", paths=[tmp_path / "plan.json"], source=tmp_path)
    found = sorted((f.rule_id, f.file, f.line) for f in result.findings)
    assert found == [("SOV102", "prod.tfbackend", 2), ("SOV105", "prod.tfbackend", 2)]
