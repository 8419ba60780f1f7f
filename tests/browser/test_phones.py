"""Every page works on a phone (390 CSS px wide): screenshots, no sideways scrolling, targets
large enough (WCAG 2.5.8), axe on each page (checked_page).

Screenshots are saved under test-results/phones/ for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.utils import timezone

from core.models import Role
from surveys import services as survey_services
from surveys.models import Response
from tests.conftest import Org, build_org
from tests.workflows import factories as f
from workflows.models import HmsRound

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-results" / "phones"
PASSWORD = "et-langt-testpassord"
PHONE = {"width": 390, "height": 844}

# WCAG 2.5.8 (AA): a target is at least 24×24 CSS px, or a 24 px circle centred on it touches
# no other target; links inside a sentence and the browser's own controls are exempt.
TARGET_CHECK = """
() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
  const visible = el => {
    const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const inSentence = el => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
    const text = (block ? block.textContent : '').replace(/\\s+/g, ' ').trim();
    return text.length > el.textContent.trim().length + 3;
  };
  const targets = [...document.querySelectorAll(sel)].filter(visible);
  const rects = targets.map(el => el.getBoundingClientRect());
  const small = [];
  targets.forEach((el, i) => {
    const r = rects[i];
    if ((r.width >= 24 && r.height >= 24) || inSentence(el)) return;
    // A label that wraps the control makes the control's target the label's box.
    const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
    if (label && visible(label)) {
      const lr = label.getBoundingClientRect();
      if (lr.height >= 24 && (lr.width >= 24)) return;
    }
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const crowded = targets.some((other, j) => {
      if (j === i || other.contains(el) || el.contains(other)) return false;
      const o = rects[j];
      const dx = Math.max(o.left - cx, 0, cx - o.right), dy = Math.max(o.top - cy, 0, cy - o.bottom);
      return Math.hypot(dx, dy) < 12;
    });
    if (crowded) small.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.name || el.id || '').trim().slice(0, 40)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
  });
  return small;
}
"""


def _with_password(user: Any) -> Any:
    user.set_password(PASSWORD)
    user.save()
    return user


def check_phone(page: Any, name: str) -> None:
    """The current page at 390 px: screenshot, no horizontal scroll, target sizes (axe runs on load)."""
    page.wait_for_load_state("load")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{name}: the page scrolls sideways ({widths[0]} > {widths[1]} px)"
    too_small = page.evaluate(TARGET_CHECK)
    assert not too_small, f"{name}: targets smaller than 24×24 px and crowded: {too_small}"


def _login(page: Any, live_server: Any, browser_login: Any, user: Any) -> None:
    page.set_viewport_size(PHONE)
    browser_login(page, _with_password(user).username, PASSWORD)


def test_the_login_page_home_and_menu_on_a_phone(
    transactional_db: None, live_server: Any, checked_page: Any, browser_login: Any
) -> None:
    org = build_org()
    employee = org.person(Role.EMPLOYEE, "a")
    f.action(org, "a", owner=employee, title="Rydd nødutgangen i kjelleren", due=timezone.localdate() - dt.timedelta(days=2))
    page = checked_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/logg-inn/")
    check_phone(page, "01-login")
    _login(page, live_server, browser_login, employee)
    page.get_by_role("heading", name="Mine oppgaver").first.wait_for()
    # The menu is collapsed behind the "Meny" button; it opens and closes.
    menu = page.get_by_role("button", name="Meny")
    assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("navigation", name="Hovedmeny").is_visible()
    check_phone(page, "02-home-mine-oppgaver")
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Meld avvik").is_visible()
    check_phone(page, "03-menu-open")
    page.get_by_role("link", name="Enheter").click()
    page.wait_for_url(f"{live_server.url}/enheter/")
    check_phone(page, "04-units")
    page.goto(f"{live_server.url}/enheter/A/")
    check_phone(page, "05-unit")


def test_deviation_reporting_and_handling_with_photos_on_a_phone(
    transactional_db: None, live_server: Any, checked_page: Any, browser_login: Any
) -> None:
    org = build_org()
    page = checked_page
    _login(page, live_server, browser_login, org.person(Role.EMPLOYEE, "a"))
    page.goto(f"{live_server.url}/avvik/meld/")
    check_phone(page, "10-deviation-report")
    page.get_by_role("radio", name="Nestenulykke").check()
    page.get_by_label("Hva skjedde").fill("Hylle løsnet og falt ned like ved meg.")
    page.get_by_label("Hvor").fill("Lager 1")
    page.get_by_role("button", name="Send avviksmeldingen").click()
    page.get_by_role("heading", name="Status for avviket du meldte").wait_for()
    check_phone(page, "11-deviation-status")

    photo = f.photo(org, "a")
    handler = org.person(Role.CASE_HANDLER, "a")
    page.context.clear_cookies()
    _login(page, live_server, browser_login, handler)
    page.goto(f"{live_server.url}/avvik/{photo.deviation_id}/")
    page.locator("img").first.wait_for()
    check_phone(page, "12-deviation-detail-photo")
    page.goto(f"{live_server.url}/enheter/A/avvik/")
    check_phone(page, "13-deviation-list")


def test_the_hms_round_checklist_and_findings_with_photos_on_a_phone(
    transactional_db: None, live_server: Any, checked_page: Any, browser_login: Any
) -> None:
    org = build_org()
    raw = json.loads((ROOT / "surveys/questionnaires/hms_round.json").read_text(encoding="utf-8"))
    survey_services.questionnaire_import(actor=None, raw=raw)
    hms_round = f.hms_round(org, "a", title="Vårrunde lab 2")
    page = checked_page
    _login(page, live_server, browser_login, org.person(Role.VERNEOMBUD, "a"))
    page.goto(f"{live_server.url}/hms-runder/{hms_round.pk}/")
    check_phone(page, "20-round-detail")
    page.locator("form[action$='/sjekkliste/'] button[type=submit]").first.click()
    page.wait_for_url("**/besvarelser/**")
    check_phone(page, "21-round-checklist-wizard")
    page.goto(f"{live_server.url}/hms-runder/{hms_round.pk}/funn/nytt/")
    check_phone(page, "22-round-finding-form")
    page.get_by_role("textbox", name="Funn").fill("Løs kabel over gulvet")
    page.locator("input[type=file]").first.set_input_files(
        files=[{"name": "kabel.jpg", "mimeType": "image/jpeg", "buffer": f.jpeg_with_exif((800, 600))}]
    )
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"**/hms-runder/{hms_round.pk}/**")
    assert HmsRound.objects.get(pk=hms_round.pk).findings.filter(photos__isnull=False).exists()
    check_phone(page, "23-round-with-finding-photo")


def test_the_annual_report_wizard_and_action_plan_on_a_phone(
    transactional_db: None, live_server: Any, checked_page: Any, browser_login: Any
) -> None:
    org = build_org()
    raw = json.loads((ROOT / "surveys/questionnaires/hms_annual_report.json").read_text(encoding="utf-8"))
    version = survey_services.questionnaire_import(actor=None, raw=raw)
    admin = org.person(Role.HMS_ADMIN)
    today = timezone.localdate()
    campaign = survey_services.campaign_create(
        actor=admin, version=version, title="HMS-årsrapport", year=today.year, mode="joint",
        opens_on=today, closes_on=today + dt.timedelta(days=30), units=[org.a],
    )  # fmt: skip
    survey_services.campaign_open(actor=admin, campaign=campaign)
    response = Response.objects.get(campaign=campaign, unit=org.a)
    f.action(org, "a", title="Sett opp rekkverk ved rampen")
    page = checked_page
    _login(page, live_server, browser_login, org.person(Role.LEADER, "a"))
    page.goto(f"{live_server.url}/besvarelser/{response.pk}/")
    check_phone(page, "30-response-overview")
    page.goto(f"{live_server.url}/besvarelser/{response.pk}/svar/")
    check_phone(page, "31-wizard-page-1")
    page.get_by_role("button", name="Neste").first.click()
    page.wait_for_load_state("load")
    check_phone(page, "32-wizard-page-2")
    page.goto(f"{live_server.url}/enheter/A/handlingsplan/")
    check_phone(page, "33-action-plan")
    page.goto(f"{live_server.url}/arshjul/")
    check_phone(page, "34-arshjul")


def test_privacy_pages_on_a_phone(transactional_db: None, live_server: Any, checked_page: Any, browser_login: Any) -> None:
    org: Org = build_org()
    page = checked_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/personvern/")
    check_phone(page, "40-privacy-statement")
    page.goto(f"{live_server.url}/tilgjengelighet/")
    check_phone(page, "41-accessibility-statement")
    _login(page, live_server, browser_login, org.person(Role.HMS_ADMIN))
    page.goto(f"{live_server.url}/meg/data/")
    check_phone(page, "42-my-data")
    page.goto(f"{live_server.url}/personvern/admin/?q=Ansatt")
    check_phone(page, "43-privacy-admin")
    page.goto(f"{live_server.url}/personvern/admin/personer/{org.person(Role.EMPLOYEE, 'b').pk}/")
    check_phone(page, "44-privacy-person")
    page.goto(f"{live_server.url}/personvern/admin/erklaering/privacy/")
    check_phone(page, "45-statement-edit")
