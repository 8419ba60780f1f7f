"""Browser tests: Debian's Chromium driven by Playwright, with axe-core on every page.

Never `playwright install`: the browser is /usr/bin/chromium (the Makefile installs the
Debian package when apt is usable). Every page a test loads is checked with axe-core
(WCAG 2.1 A/AA rules); a serious or critical violation fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
    "--disable-quic",
]  # fmt: skip
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if not os.access(CHROMIUM, os.X_OK):
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium)"))
            elif not AXE_JS.exists():
                item.add_marker(pytest.mark.skip(reason="node_modules/axe-core is missing (npm install)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *ARGS],
    }


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: Any) -> None:
    # The live server serves static files from the finders; no manifest needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


class AxeViolation(AssertionError):
    pass


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the current document; return the serious and critical violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [v for v in result["violations"] if v.get("impact") in FAILING_IMPACTS]


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe found {len(violations)} serious/critical violation(s) on {url}:"]
    for v in violations:
        targets = [", ".join(n["target"]) for n in v["nodes"][:5]]
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} -> {targets}")
    return "\n".join(lines)


class CheckedPage:
    """A Playwright page that runs axe on every document it loads.

    Loads are recorded as they happen; before the next call on the page (and when the
    test ends) the current document is checked. Everything else is the Playwright page.
    """

    def __init__(self, page: Any) -> None:
        self._page = page
        self._pending = False
        self.checked_urls: list[str] = []
        page.on("load", self._on_load)

    def _on_load(self, *_: Any) -> None:
        self._pending = True

    def check_accessibility(self) -> None:
        self._pending = False
        self._page.wait_for_load_state("load")
        violations = run_axe(self._page)
        self.checked_urls.append(self._page.url)
        if violations:
            raise AxeViolation(format_violations(self._page.url, violations))

    def flush(self) -> None:
        if self._pending:
            self.check_accessibility()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        self.flush()
        return getattr(self._page, name)


@pytest.fixture
def checked_page(page: Any, live_server: Any) -> Iterator[CheckedPage]:
    page.set_default_timeout(15_000)
    checked = CheckedPage(page)
    yield checked
    checked.flush()
    assert checked.checked_urls, "the test visited no page"


@pytest.fixture
def browser_login(live_server: Any) -> Any:
    """Log in through the real login form."""

    def login(page: CheckedPage, username: str, password: str) -> None:
        page.goto(f"{live_server.url}/logg-inn/")
        page.get_by_label("Brukernavn").fill(username)
        page.get_by_label("Passord").fill(password)
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_url(f"{live_server.url}/")

    return login
