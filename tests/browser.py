"""A real headless browser for the HTML report test: Debian's chromium, run with every host
unresolvable and a net log, so that any request the page makes is seen (and would fail)."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# Requests the browser itself makes (time sync, sign-in probes) carry no page initiator.
_BROWSER_OWN = "not an origin"


def find_browser() -> str | None:
    return next((path for name in _BROWSERS if (path := shutil.which(name))), None)


@dataclass
class Render:
    console: list[str]  # console messages (errors, CSP violations) the page produced
    requests: list[str]  # URLs the page asked the network for
    screenshot: Path


def render(browser: str, page: Path, work: Path, screenshot: Path, height: int = 3200) -> Render:
    work.mkdir(parents=True, exist_ok=True)
    netlog = work / "net.json"
    proc = subprocess.run(
        [
            browser,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-sync",
            f"--user-data-dir={work / 'profile'}",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
            f"--log-net-log={netlog}",
            f"--screenshot={screenshot}",
            f"--window-size=1280,{height}",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return Render(console, page_requests(netlog), screenshot)


def page_requests(netlog: Path) -> list[str]:
    """URLs requested on behalf of a page (not the browser's own background traffic)."""
    data = json.loads(netlog.read_text(encoding="utf-8"))
    start = data["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    out = []
    for event in data["events"]:
        params = event.get("params") or {}
        if event.get("type") != start or "url" not in params:
            continue
        if params.get("initiator") == _BROWSER_OWN and "file://" not in str(
            params.get("network_isolation_key", "")
        ):
            continue
        out.append(str(params["url"]))
    return out
