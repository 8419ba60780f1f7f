from __future__ import annotations

from typing import Any

from core import demo


def test_a_demo_leader_logs_in_sees_their_unit_in_norwegian_then_switches_to_english(
    transactional_db: None, live_server: Any, checked_page: Any, browser_login: Any
) -> None:
    demo.build_organisation()
    page = checked_page
    browser_login(page, "leder.kjemi", demo.DEMO_PASSWORD)

    assert page.locator("html").get_attribute("lang") == "nb"
    page.get_by_role("heading", name="Mine enheter og roller").wait_for()
    assert page.get_by_role("link", name="Institutt for kjemi").is_visible()

    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Bytt").click()
    page.get_by_role("heading", name="My units and roles").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("link", name="Institutt for kjemi").click()
    page.get_by_role("heading", name="People and roles").wait_for()
    assert len(page.checked_urls) >= 3  # login, home (nb), home (en); the unit page at teardown


def test_axe_fails_a_page_with_serious_violations(live_server: Any, checked_page: Any) -> None:
    """The harness itself: a page with an unlabelled input and no lang must fail."""
    import pytest

    from tests.browser.conftest import AxeViolation

    checked_page.set_content("<html><body><input type='text'><img src='x.png'></body></html>")
    with pytest.raises(AxeViolation, match=r"image-alt|label"):
        checked_page.check_accessibility()
