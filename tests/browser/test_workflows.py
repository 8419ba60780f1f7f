"""Follow-up in the browser (axe on every page): a deviation reported on a phone, the action plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from core.models import Role
from tests.conftest import build_org
from tests.workflows import factories as f
from workflows.models import ActionItem, Deviation

PASSWORD = "et-langt-testpassord"


def _with_password(user: Any) -> Any:
    user.set_password(PASSWORD)
    user.save()
    return user


def test_an_employee_reports_a_deviation_on_a_phone_in_a_minute(
    transactional_db: None, live_server: Any, checked_page: Any, browser_login: Any
) -> None:
    org = build_org()
    employee = _with_password(org.person(Role.EMPLOYEE, "a"))
    page = checked_page
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, employee.username, PASSWORD)
    page.goto(f"{live_server.url}/avvik/meld/")
    page.get_by_role("heading", name="Meld avvik").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the form must not scroll sideways"
    # The injury fields stay hidden until "Personskade" is chosen.
    assert not page.get_by_label("Skadeklasse (bare personskade)").is_visible()
    page.get_by_role("radio", name="Nestenulykke").check()
    page.get_by_label("Hva skjedde").fill("Hylle løsnet og falt ned like ved meg.")
    page.get_by_label("Hvor").fill("Lager 1")
    page.get_by_role("button", name="Send avviksmeldingen").click()
    page.get_by_role("heading", name="Status for avviket du meldte").wait_for()
    deviation = Deviation.objects.get()
    assert (deviation.category, deviation.reporter, deviation.unit) == ("near_miss", employee, org.a)

    # Without a name: the receipt code is shown once.
    page.goto(f"{live_server.url}/avvik/meld/")
    page.get_by_role("radio", name="Personskade").check()
    assert page.get_by_label("Skadeklasse (bare personskade)").is_visible()
    page.get_by_label("Skadeklasse (bare personskade)").select_option("first_aid")
    page.get_by_label("Hva skjedde").fill("Kuttet meg på papir.")
    page.get_by_label("Hvor").fill("Kontor")
    page.get_by_label("Meld uten navn").check()
    page.get_by_role("button", name="Send avviksmeldingen").click()
    code = page.locator("#receipt-code").inner_text()
    assert len(code) == 19 and Deviation.objects.get(anonymous=True).reporter is None
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_leader_filters_the_action_plan_and_confirms_a_proposal(
    transactional_db: None, live_server: Any, checked_page: Any, browser_login: Any
) -> None:
    org = build_org()
    leader = _with_password(org.person(Role.LEADER, "a"))
    today = timezone.localdate()
    f.action(org, "a", title="Skift lysrør i trappen", due=today - dt.timedelta(days=4))
    f.action(org, "a", title="Nye hyller på lageret", due=today + dt.timedelta(days=20))
    proposal = f.action(org, "a", status="proposed", title="Kurs i førstehjelp")
    page = checked_page
    browser_login(page, leader.username, PASSWORD)
    page.goto(f"{live_server.url}/enheter/A/handlingsplan/")
    page.get_by_role("heading", name="HMS-handlingsplan for Avdeling A").wait_for()
    overdue_row = page.get_by_role("row").filter(has_text="Skift lysrør i trappen")
    assert overdue_row.get_by_text("Over frist").is_visible()
    page.get_by_text("Filtrer og sorter").click()
    page.get_by_label("Bare tiltak over frist").check()
    page.get_by_role("button", name="Vis", exact=True).click()
    page.get_by_text("1 tiltak").wait_for()
    assert not page.get_by_text("Nye hyller på lageret").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned Excel (XLSX)").click()
    assert download.value.suggested_filename == "handlingsplan-A.xlsx"

    page.goto(f"{live_server.url}/enheter/A/handlingsplan/")
    page.get_by_role("link", name="Kurs i førstehjelp").click()
    page.get_by_role("heading", name="Bekreft forslaget").wait_for()
    page.get_by_label("Ansvarlig").first.select_option(label=org.person(Role.EMPLOYEE, "a").get_full_name())
    page.get_by_label("Frist").first.fill((today + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Bekreft tiltaket").click()
    page.get_by_text("Tiltaket er bekreftet.").wait_for()
    assert ActionItem.objects.get(pk=proposal.pk).status == "open"


def test_every_follow_up_page_passes_axe(
    transactional_db: None, live_server: Any, checked_page: Any, browser_login: Any
) -> None:
    from django.urls import reverse

    from workflows import services

    org = build_org()
    leader = _with_password(org.person(Role.LEADER, "a"))
    admin = _with_password(org.person(Role.HMS_ADMIN))
    action = f.action(org, "a", status="done")
    deviation = f.deviation(org, "a", category="injury", injury_class="fatal", photos=[f.jpeg_with_exif()])
    report = f.learning_report(org, "a")
    round_ = f.hms_round(org, "a")
    services.finding_add(actor=leader, round_=round_, title="Løs kabel", probability=3, consequence=4,
                         photos=[f.jpeg_with_exif()])  # fmt: skip
    services.round_mark_conducted(actor=leader, round_=round_)
    risk = f.risk_assessment(org, "a", rows=3)
    item = f.cycle_item(org)
    urls = [
        reverse("action_plan", kwargs={"code": "A"}), reverse("action_create", kwargs={"code": "A"}),
        reverse("action_detail", kwargs={"pk": action.pk}), reverse("deviation_list", kwargs={"code": "A"}),
        reverse("deviation_detail", kwargs={"pk": deviation.pk}),
        reverse("deviation_detail", kwargs={"pk": report.deviation_id}),
        reverse("learning_report", kwargs={"pk": report.deviation_id}),
        reverse("learning_report_edit", kwargs={"pk": report.deviation_id}), reverse("learning_report_list"),
        reverse("round_list", kwargs={"code": "A"}), reverse("round_create", kwargs={"code": "A"}),
        reverse("round_detail", kwargs={"pk": round_.pk}), reverse("round_edit", kwargs={"pk": round_.pk}),
        reverse("round_finding_add", kwargs={"pk": round_.pk}), reverse("round_summarise", kwargs={"pk": round_.pk}),
        reverse("risk_list", kwargs={"code": "A"}), reverse("risk_create", kwargs={"code": "A"}),
        reverse("risk_detail", kwargs={"pk": risk.pk}), reverse("cycle_calendar"),
        reverse("unit_calendar", kwargs={"code": "A"}), reverse("calendar_feed_settings"),
        reverse("deviation_receipt"),
    ]  # fmt: skip
    page = checked_page
    browser_login(page, leader.username, PASSWORD)
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        page.check_accessibility()
    page.context.clear_cookies()
    browser_login(page, admin.username, PASSWORD)
    for url in (reverse("cycle_admin"), reverse("cycle_item_edit", kwargs={"pk": item.pk}), reverse("workflow_settings")):
        page.goto(f"{live_server.url}{url}")
        page.check_accessibility()
    assert len(page.checked_urls) >= len(urls) + 3
