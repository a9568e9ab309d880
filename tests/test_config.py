"""`.sovlint.yaml` discovery and validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from sovlint.config import ConfigError, find_config, load_config
from sovlint.model import Severity

RULES = {"SOV001", "SOV101", "SOV104"}


def test_found_upward_until_repo_root(tmp_path: Path) -> None:
    (tmp_path / ".sovlint.yaml").write_text("profile: residency-eu\n")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "infra" / "prod").mkdir(parents=True)
    assert find_config(tmp_path / "repo" / "infra" / "prod") is None  # stops at the repository root
    (tmp_path / "repo" / ".sovlint.yml").write_text("fail_on: high\n")
    assert find_config(tmp_path / "repo" / "infra" / "prod") == tmp_path / "repo" / ".sovlint.yml"


def test_full_config(tmp_path: Path) -> None:
    path = tmp_path / ".sovlint.yaml"
    path.write_text(
        "profile: secnumcloud\nallow_countries: [CH]\nallow_providers: [exoscale]\n"
        "deny_providers: [hcloud]\ndisable: [SOV104]\nseverity: {SOV101: medium}\n"
        "exclude: ['legacy/**']\nfail_on: medium\ncatalog: [extra.yaml]\n"
    )
    (tmp_path / "extra.yaml").write_text("providers: []\n")
    cfg = load_config(path, RULES)
    assert cfg.profile == "secnumcloud"
    assert cfg.allow_countries == ("CH",)
    assert cfg.disable == ("SOV104",)
    assert cfg.severity == {"SOV101": Severity.MEDIUM}
    assert cfg.fail_on is Severity.MEDIUM
    assert cfg.catalog == (str(tmp_path / "extra.yaml"),)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("profile: x\nbogus: 1\n", 2, "unknown key 'bogus'"),
        ("disable: [SOV404]\n", 1, "unknown rule id 'SOV404'"),
        ("severity:\n  SOV101: huge\n", 2, "unknown severity"),
        ("profile: [\n", 2, "invalid YAML"),
        ("- a\n- b\n", 1, "must be a mapping"),
        ("allow_countries: CH\n", 1, "must be a list of strings"),
        ("profile: x\nallow_countries: [SE, NO]\n", 2, 'quote it ("NO" for Norway'),
        ("disable:\n  - SOV001\n", 1, "SOV001 cannot be disabled: sovlint fails closed"),
        ("severity:\n  SOV001: low\n", 2, "the severity of SOV001 cannot be changed"),
        ("profile: x\ncatalog: [missing.yaml]\n", 2, "missing.yaml not found"),
        ("var_files:\n  - prod.tfvars\n", 1, "variable file"),
    ],
)
def test_errors_name_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / ".sovlint.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path, RULES)
    assert info.value.line == line
    assert message in str(info.value)


def test_unknown_provider_keys_name_their_line(tmp_path: Path) -> None:
    from sovlint.catalog.load import load_catalog
    from sovlint.profiles import apply_config, load_profile

    path = tmp_path / ".sovlint.yaml"
    path.write_text(
        "profile: sovereign-eu\nallow_providers: [scaleway]\ndeny_providers: [hcloud, nope]\n"
    )
    catalog = load_catalog()
    config = load_config(path, RULES)
    with pytest.raises(ConfigError) as info:
        apply_config(load_profile("sovereign-eu", catalog), catalog, config)
    assert (info.value.line, "'nope' in deny_providers" in str(info.value)) == (3, True)
    path.write_text("deny_providers: [hcloud]\n")
    profile = apply_config(load_profile("sovereign-eu", catalog), catalog, load_config(path, RULES))
    assert "hcloud" in profile.deny_providers


@pytest.mark.parametrize(
    ("code", "hint"), [("CHE", "two upper-case letters"), ("ch", "did you mean 'CH'")]
)
def test_country_codes_are_checked_like_profiles(tmp_path: Path, code: str, hint: str) -> None:
    from sovlint.catalog.load import load_catalog
    from sovlint.profiles import apply_config, load_profile

    path = tmp_path / ".sovlint.yaml"
    path.write_text(f"profile: sovereign-eu\nallow_countries: [DE, {code}]\n")
    catalog = load_catalog()
    with pytest.raises(ConfigError) as info:
        apply_config(load_profile("sovereign-eu", catalog), catalog, load_config(path, RULES))
    assert info.value.line == 2
    assert f"{code!r} in allow_countries" in str(info.value) and hint in str(info.value)
