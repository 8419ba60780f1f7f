"""A respondent answers the HMS barometer through the one-time link from the email, in
Chromium, with axe on every page; the link cannot be used again, and the draft is gone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail

from core.models import Role
from surveys import services
from surveys.anon import services as anon_services
from surveys.models import AnonymousAnswer, AnonymousComment, Participation
from tests.conftest import build_org
from tests.surveys.anon_support import CODE, add_employees, load_version


def _radio(page: Any, question: str, label: str) -> None:
    page.locator(f'[data-question="{question}"]').get_by_label(label, exact=True).check()


def test_the_barometer_is_answered_through_a_one_time_link_that_cannot_be_used_twice(
    transactional_db: None, live_server: Any, checked_page: Any, django_capture_on_commit_callbacks: Any
) -> None:
    org = build_org()
    version = load_version("hms_barometer")
    person = add_employees(org.a, 1)[0]
    admin = org.person(Role.HMS_ADMIN)
    today = dt.date.today()
    campaign = services.campaign_create(
        actor=admin, version=version, title="HMS-barometer", year=today.year, mode="anonymous",
        opens_on=today, closes_on=today + dt.timedelta(days=14), units=[org.a],
    )  # fmt: skip
    campaign = services.campaign_open(actor=admin, campaign=campaign)
    mail.outbox.clear()
    anon_services.anonymous_campaign_invite(actor=admin, campaign=campaign)  # transactional: sent on commit
    body = next(m.body for m in mail.outbox if m.to == [person.email])
    code = CODE.search(body).group(1)
    link = f"{live_server.url}/undersokelse/#{code}"

    page = checked_page
    page.goto(link)
    page.get_by_role("heading", name="Slik er du anonym").wait_for()
    assert "#" not in page.url, "the code is removed from the address bar"
    assert page.get_by_label("Kode fra e-posten").input_value() == code
    page.get_by_role("button", name="Start undersøkelsen").click()

    page.get_by_role("heading", name="Om deg").wait_for()
    _radio(page, "b_role", "Medarbeider uten personalansvar")
    page.get_by_role("button", name="Neste").click()

    page.get_by_role("heading", name="Opplæring").wait_for()
    _radio(page, "b_vo_trained", "Ja")
    _radio(page, "b_own_training", "4")
    page.get_by_role("button", name="Neste").click()

    page.get_by_role("heading", name="HMS-rutiner").wait_for()
    _radio(page, "b_routines_followed", "Sjelden")
    # The follow-up question appears on the same page (the server's engine decides).
    page.locator('[data-question="b_routines_barriers"]').wait_for(state="visible")
    page.locator('[data-question="b_routines_barriers"]').get_by_label("Tidspress").check()
    # The draft is in this browser only.
    assert page.evaluate("Object.keys(JSON.parse(localStorage.getItem('verne.anon.drafts') || '{}'))") == [str(campaign.pk)]
    page.get_by_role("button", name="Neste").click()

    for heading in ("Avvik", "Medvirkning og kvalitet"):
        page.get_by_role("heading", name=heading, exact=True).wait_for()
        page.get_by_role("button", name="Neste").click()
    page.get_by_role("heading", name="Dine kommentarer").wait_for()
    page.locator('[data-question="b_works_well"] textarea').fill("Kollegene hjelper hverandre.")
    page.get_by_role("button", name="Se over svarene").click()

    page.get_by_role("heading", name="Se over svarene").wait_for()
    page.get_by_role("button", name="Send inn svarene").click()
    page.get_by_role("heading", name="Takk for svaret!").wait_for()
    page.wait_for_function("localStorage.getItem('verne.anon.drafts') === '{}'")  # the draft is gone

    answer = AnonymousAnswer.objects.get(campaign=campaign)
    assert answer.answers["b_routines_barriers"] == ["time_pressure"]
    assert answer.unit == org.root  # two invited in A: stored under the unit its rates merge it into
    assert AnonymousComment.objects.get(campaign=campaign).text == "Kollegene hjelper hverandre."
    assert Participation.objects.get(campaign=campaign, person=person).answered

    # The same link again.
    page.goto(link)
    page.get_by_role("button", name="Start undersøkelsen").click()
    page.get_by_text("Lenken eller koden er ugyldig, eller den er allerede brukt").first.wait_for()
    assert AnonymousAnswer.objects.filter(campaign=campaign).count() == 1


def test_results_rates_screening_and_follow_up_pages_pass_axe(
    transactional_db: None, live_server: Any, checked_page: Any, browser_login: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    from tests.surveys.anon_support import barometer_answer, close, submit_direct

    org = build_org()
    version = load_version("hms_barometer")
    staff = add_employees(org.a, 10)
    admin = org.person(Role.HMS_ADMIN)
    admin.set_password("pw-for-axe-1")
    admin.save()
    today = dt.date.today()
    campaign = services.campaign_create(
        actor=admin, version=version, title="HMS-barometer", year=today.year, mode="anonymous",
        opens_on=today, closes_on=today + dt.timedelta(days=14), units=[org.a],
    )  # fmt: skip
    campaign = services.campaign_open(actor=admin, campaign=campaign)
    anon_services.anonymous_campaign_invite(actor=admin, campaign=campaign, send_links=False)
    for i, person in enumerate(staff):
        submit_direct(campaign, person, barometer_answer(b_improve="Mer tid til opplæring." if i < 2 else None))
    page = checked_page
    browser_login(page, admin.username, "pw-for-axe-1")
    page.goto(f"{live_server.url}/kampanjer/{campaign.pk}/")
    page.get_by_role("heading", name="Svarprosent").wait_for()
    close(org, campaign)
    page.goto(f"{live_server.url}/undersokelser/{campaign.pk}/{org.root.code}/")
    page.get_by_role("heading", name="Resultater: Testorganisasjonen", exact=False).wait_for()
    page.goto(f"{live_server.url}/undersokelser/{campaign.pk}/A/")
    page.get_by_text("Nøkkeltall").first.wait_for()
    page.goto(f"{live_server.url}/kampanjer/{campaign.pk}/fritekst/")
    page.get_by_role("heading", name="Vurder fritekstsvar").wait_for()
    page.goto(f"{live_server.url}/undersokelser/{campaign.pk}/A/oppfolging/")
    page.get_by_role("heading", name="Oppfølging av undersøkelsen").wait_for()
    page.goto(f"{live_server.url}/undersokelser/")
    page.get_by_role("heading", name="Anonyme undersøkelser").wait_for()
    assert len(page.checked_urls) >= 6
