"""The Docker Compose frontend: which files it claims, how services become facts (images for
SOV200, values for SOV203), lines, safe loading, and the fixtures under fixtures/compose."""

from __future__ import annotations

from pathlib import Path

import pytest

from sovlint.frontends.compose.data import compose_data
from sovlint.frontends.compose.services import ComposeError, services
from sovlint.frontends.kubernetes.nodes import LoadError, load_yaml
from sovtest import FIXTURES, assert_case, expectations, run_scan

CASES = sorted(p.parent for p in (FIXTURES / "compose").glob("*/expected.yaml"))


@pytest.mark.parametrize(
    ("case", "profile"),
    [pytest.param(c, p, id=f"{c.name}[{p}]") for c in CASES for p in expectations(c)],
)
def test_fixture(case: Path, profile: str) -> None:
    assert_case(case, profile)


@pytest.mark.parametrize(
    ("name", "claimed"),
    [
        ("compose.yaml", True),
        ("compose.yml", True),
        ("docker-compose.yml", True),
        ("docker-compose.yaml", True),
        ("compose.override.yaml", True),
        ("docker-compose.prod.yml", True),
        ("docker-compose-ci.yml", True),
        ("composer.yaml", False),
        ("my-compose.yaml", False),
        ("deployment.yaml", False),
        ("compose.json", False),
    ],
)
def test_claimed_file_names(name: str, claimed: bool) -> None:
    assert compose_data().is_compose_file(Path("x") / name) is claimed


def _services(text: str) -> list:  # type: ignore[type-arg]
    return [
        s for doc in load_yaml(text) for s in services(doc.root, "compose.yaml", compose_data())
    ]


def test_environment_forms_command_and_lines() -> None:
    (svc,) = _services(
        "services:\n"
        "  app:\n"
        "    image: ghcr.io/acme/app:1\n"
        "    environment:\n"
        "      - API=https://api.openai.com/v1\n"
        "      - BARE\n"
        "    entrypoint: https://a.example.com\n"
        "    command: [run, https://b.example.com]\n"
        "    healthcheck:\n"
        "      test: [CMD, curl, https://c.example.com]\n"
    )
    assert svc.address == "services/app" and (svc.span.line, svc.span.end_line) == (2, 10)
    ((address, image),) = svc.images
    assert (address, image.image, image.span.line) == ("services/app", "ghcr.io/acme/app:1", 3)
    values = [(v.attribute, v.value, v.span.line) for _, v in svc.values]
    assert values == [  # the order of policies/compose.yaml; BARE comes from the shell
        ("environment API", "https://api.openai.com/v1", 5),
        ("command[0]", "run", 8),
        ("command[1]", "https://b.example.com", 8),
        ("entrypoint", "https://a.example.com", 7),
        ("healthcheck.test[0]", "CMD", 10),
        ("healthcheck.test[1]", "curl", 10),
        ("healthcheck.test[2]", "https://c.example.com", 10),
    ]


def test_a_document_without_services_has_no_facts_and_bad_services_fail() -> None:
    assert _services("name: x\ninclude: [other.yaml]\n") == []
    with pytest.raises(ComposeError) as err:
        _services("services: [web]\n")
    assert err.value.line == 1


def test_loading_is_safe(tmp_path: Path) -> None:
    """A Python tag constructs nothing and runs nothing; it is a plain string, and the image
    next to it is still judged."""
    marker = tmp_path / "ran"
    (tmp_path / "compose.yaml").write_text(
        "services:\n"
        "  web:\n"
        "    image: nginx:1.27\n"
        f"    labels: !!python/object/apply:os.system ['touch {marker}']\n"
    )
    result = run_scan(tmp_path)
    assert not marker.exists()
    assert [(f.rule_id, f.line) for f in result.findings] == [("SOV200", 3)]


def test_alias_bomb_is_a_parse_failure() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(LoadError):
        list(load_yaml("\n".join(lines) + "\nservices: {}\n"))


def test_inventory_lists_each_service_as_compose() -> None:
    result = run_scan(FIXTURES / "compose" / "pass")
    assert [(i.kind, i.address, i.verdict.value) for i in result.inventory] == [
        ("compose", "services/app", "sovereign"),
        ("compose", "services/cache", "sovereign"),
        ("compose", "services/db", "sovereign"),
    ]
    services = run_scan(FIXTURES / "compose" / "services", "residency-eu")
    unknown = {i.address for i in services.inventory if i.verdict.value == "unknown"}
    reported = {f.address for f in services.findings if f.rule_id in ("SOV103", "SOV104")}
    assert unknown and unknown <= reported  # an unknown service is reported, never silent
