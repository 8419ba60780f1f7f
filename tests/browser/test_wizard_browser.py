"""The wizard in Chromium: two people answer the real annual report together; keyboard only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from core import demo
from core.models import OrgUnit, User
from surveys import services
from surveys.models import Response
from tests.browser.conftest import CheckedPage

ROOT = Path(__file__).resolve().parents[2]


def annual_report_response() -> Response:
    demo.build_organisation()
    services.questionnaire_import(actor=None, raw=(ROOT / "surveys/questionnaires/hms_annual_report.json").read_text())
    admin = User.objects.get(username="hms.admin")
    today = dt.date.today()
    services.campaign_issue_annual_report(actor=admin, year=today.year, opens_on=today, closes_on=today + dt.timedelta(days=30))
    return Response.objects.get(unit=OrgUnit.objects.get(code="NT-KJE"), campaign__year=today.year)


FILL_PAGE = """
() => {
  const boxes = [...document.querySelectorAll('.v-question')].filter(b => !b.hidden && b.offsetParent !== null);
  for (const box of boxes) {
    const type = box.dataset.type;
    const inputs = [...box.querySelectorAll('input, textarea, select')].filter(i => !i.disabled && !i.readOnly && i.type !== 'hidden');
    if (!inputs.length) continue;
    if (type === 'radiogroup' || type === 'rating' || type === 'boolean') {
      if (!inputs.some(i => i.checked)) { const choice = inputs.find(i => i.type === 'radio' && i.value !== 'other' && i.value !== 'false' && i.value !== 'never' && i.value !== 'no') || inputs[0]; choice.click(); }
    } else if (type === 'checkbox' || type === 'tagbox') {
      if (!inputs.some(i => i.checked)) { inputs.find(i => i.type === 'checkbox' && i.value !== 'none' && i.value !== 'other').click(); }
    } else if (type === 'matrix') {
      for (const row of box.querySelectorAll('tbody tr')) { const r = row.querySelector('input[type=radio]'); if (r && !row.querySelector('input:checked')) r.click(); }
    } else {
      for (const i of inputs) {
        if (i.value) continue;
        if (i.tagName === 'SELECT') { if (i.options.length > 1) i.selectedIndex = 1; }
        else if (i.type === 'date') i.value = '2026-03-01';
        else if (i.getAttribute('inputmode') === 'decimal') i.value = '6';
        else i.value = 'Beskrivelse fra testen';
      }
    }
  }
}
"""


def fill_and_next(page: CheckedPage) -> None:
    """Fill the visible questions and go on. Answers may reveal more questions (shown by the
    page script, or by the server with an error summary when the script was too slow):
    fill again until the wizard moves to another page."""
    start = page.evaluate("document.querySelector('[data-page]')?.dataset.page || ''")
    for _ in range(5):
        page.evaluate(FILL_PAGE)
        page.wait_for_timeout(300)  # the page script evaluates changes after a short debounce
        page.evaluate(FILL_PAGE)
        page.get_by_role("button", name="Neste").or_(page.get_by_role("button", name="Til oppsummering")).click()
        page.wait_for_load_state()
        now = page.evaluate("document.querySelector('[data-page]')?.dataset.page || 'done'")
        if now != start:
            return
    raise AssertionError(f"the wizard did not leave page {start}")


def test_leader_and_verneombud_answer_the_annual_report_together_and_sign(
    transactional_db: None, live_server: Any, checked_page: CheckedPage, browser: Any, browser_login: Any,
) -> None:
    response = annual_report_response()
    page = checked_page
    browser_login(page, "leder.kjemi", demo.DEMO_PASSWORD)
    page.get_by_role("link", name="HMS-årsrapport – Institutt for kjemi").click()
    page.get_by_role("heading", name="Om enheten").wait_for()

    # A question revealed by an answer on the same page appears without a reload.
    url_before = page.url
    page.locator('[data-question="answered_jointly"]').get_by_label("Nei").check()
    page.locator('[data-question="answered_jointly_reason"]').wait_for(state="visible")
    assert page.url == url_before
    page.locator('[data-question="answered_jointly"]').get_by_label("Ja").check()
    page.locator('[data-question="answered_jointly_reason"]').wait_for(state="hidden")

    # The leader answers about half of the pages, then stops.
    for _ in range(6):
        fill_and_next(page)
    response.refresh_from_db()
    page.get_by_text("Side 7 av").wait_for()  # six pages answered and saved
    assert len(response.answers) >= 15, response.answers

    # The verneombud continues in another browser and finishes.
    context = browser.new_context()
    vo_page = CheckedPage(context.new_page())
    browser_login(vo_page, "vo.kjemi", demo.DEMO_PASSWORD)
    vo_page.get_by_role("link", name="HMS-årsrapport – Institutt for kjemi").click()
    for _ in range(20):
        if "oppsummering" in vo_page.url:
            break
        fill_and_next(vo_page)
    assert "oppsummering" in vo_page.url
    vo_page.get_by_role("heading", name="Oppsummering og signering").wait_for()
    vo_page.get_by_role("button", name="Signer som verneombud").click()
    vo_page.get_by_text("venter på den andre signaturen").wait_for()
    vo_page.flush()
    context.close()

    # The leader signs last; that submits the response.
    page.goto(f"{live_server.url}/besvarelser/{response.pk}/oppsummering/")
    page.get_by_role("button", name="Signer som leder").click()
    page.get_by_text("Besvarelsen er levert").first.wait_for()
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert {s.signer.username for s in response.active_signatures()} == {"leder.kjemi", "vo.kjemi"}


def tab_to(page: Any, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {selector} with the Tab key")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_every_question_type_is_answered_with_the_keyboard_alone(
    transactional_db: None, live_server: Any, browser: Any, javascript: bool
) -> None:
    from tests.browser.conftest import run_axe
    from tests.surveys.test_question_types import ALL_TYPES

    demo.build_organisation()
    version = services.questionnaire_import(actor=None, raw=ALL_TYPES)
    admin = User.objects.get(username="hms.admin")
    unit = OrgUnit.objects.get(code="NT-KJE")
    today = dt.date.today()
    campaign = services.campaign_create(actor=admin, version=version, title="Typer", year=today.year, mode="joint",
                                        opens_on=today, closes_on=today + dt.timedelta(days=5), units=[unit])  # fmt: skip
    services.campaign_open(actor=admin, campaign=campaign)
    response = Response.objects.get(campaign=campaign)

    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="leder.kjemi"))
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page.goto(f"{live_server.url}/besvarelser/{response.pk}/svar/")
    kb = page.keyboard

    def check_axe() -> None:
        if javascript:
            violations = run_axe(page)
            assert not violations, violations

    check_axe()
    tab_to(page, "#id_simple-t_text")
    kb.type("hei")
    tab_to(page, "#id_simple-t_number")
    kb.type("42")
    tab_to(page, "#id_simple-t_comment")
    kb.type("to linjer")
    kb.press("Enter")
    kb.type("her")
    tab_to(page, "#id_simple-t_bool_0")
    kb.press("Space")
    tab_to(page, "#id_simple-t_rating_0")
    kb.press("ArrowRight")
    kb.press("ArrowRight")  # 3
    tab_to(page, "button[type=submit]:not([name])")
    kb.press("Enter")
    page.wait_for_selector("text=Valg")
    check_axe()
    tab_to(page, "#id_choices-t_radio_0")
    kb.press("ArrowDown")  # 2
    tab_to(page, "#id_choices-t_check_1")
    kb.press("Space")  # b
    tab_to(page, "#id_choices-t_drop")
    kb.press("ArrowDown")
    tab_to(page, "#id_choices-t_rank__k0")
    kb.press("ArrowDown")
    kb.press("ArrowDown")  # rank 2
    tab_to(page, "#id_choices-t_rank__k1")
    kb.press("ArrowDown")  # rank 1
    tab_to(page, "#id_choices-t_rank__k2")
    kb.press("ArrowDown")
    kb.press("ArrowDown")
    kb.press("ArrowDown")  # rank 3
    tab_to(page, "button[type=submit]:not([name])")
    kb.press("Enter")
    page.wait_for_selector("text=Tabeller")
    check_axe()
    tab_to(page, "#id_grids-t_matrix__r0_0")
    kb.press("ArrowRight")  # row1 -> 2
    tab_to(page, "#id_grids-t_mdrop__r0__count")
    kb.type("5")
    tab_to(page, "#id_grids-t_mdyn__r0__what")
    kb.type("Rydde lageret")
    tab_to(page, "button[name=wizard_add][value=t_mdyn]")
    kb.press("Enter")
    page.wait_for_selector("#id_grids-t_mdyn__r1__what")
    tab_to(page, "#id_grids-t_mdyn__r1__what")
    kb.type("Bytte lys")
    tab_to(page, "#id_grids-t_multi__first")
    kb.type("Kari")
    tab_to(page, "#id_grids-t_panels__p0__measure")
    kb.type("Nytt verktøy")
    tab_to(page, "button[type=submit]:not([name])")
    kb.press("Enter")
    page.wait_for_url("**/oppsummering/")
    check_axe()
    context.close()

    response.refresh_from_db()
    a = response.answers
    assert a["t_text"] == "hei" and a["t_number"] == 42 and a["t_comment"] == "to linjer\nher"
    assert a["t_bool"] is True and a["t_rating"] == 3
    assert a["t_radio"] == 2 and a["t_check"] == ["b"] and a["t_drop"] == "x"
    assert a["t_rank"] == ["r2", "r1", "r3"]
    assert a["t_matrix"] == {"row1": 2}
    assert [row.get("what") for row in a["t_mdyn"]] == ["Rydde lageret", "Bytte lys"]
    assert a["t_multi"] == {"first": "Kari"} and a["t_panels"] == [{"measure": "Nytt verktøy"}]
    assert a["t_mdrop"]["r1"]["count"] == 5
