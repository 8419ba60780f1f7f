from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEvent, OrgUnit, Role
from surveys import services
from surveys.models import Campaign, Questionnaire, QuestionnaireVersion, Response
from tests.conftest import Org
from tests.surveys.conftest import SMALL, client_for

ROOT = Path(__file__).resolve().parents[2]


def test_an_hms_admin_creates_and_opens_a_campaign_from_a_page(org: Org, version: QuestionnaireVersion) -> None:
    admin = client_for(org.person(Role.HMS_ADMIN))
    today = dt.date.today()
    r = admin.post("/kampanjer/ny/", {
        "version": version.pk, "title": "Testkampanje", "year": today.year, "mode": "joint",
        "opens_on": today.isoformat(), "closes_on": (today + dt.timedelta(days=20)).isoformat(),
        "units": [org.a.pk, org.b.pk], "open_now": "on",
    })  # fmt: skip
    assert r.status_code == 302
    campaign = Campaign.objects.get(title="Testkampanje")
    assert campaign.status == Campaign.Status.OPEN
    assert set(campaign.responses.values_list("unit__code", flat=True)) == {"A", "B"}
    html = admin.get(f"/kampanjer/{campaign.pk}/").content.decode()
    assert "Avdeling A" in html and "Utkast" in html


def test_campaign_form_errors_name_the_field_and_are_summarised(org: Org, version: QuestionnaireVersion) -> None:
    admin = client_for(org.person(Role.HMS_ADMIN))
    html = admin.post("/kampanjer/ny/", {"version": version.pk, "title": "", "year": "2026", "mode": "joint",
                                         "opens_on": "2026-05-01", "closes_on": "2026-04-01"}).content.decode()  # fmt: skip
    assert 'class="ds-error-summary"' in html
    assert "Fristen kan ikke være før åpningsdatoen." in html
    assert 'href="#id_title"' in html
    assert not Campaign.objects.exists()


def test_this_years_annual_report_goes_to_every_active_unit_in_one_step(org: Org) -> None:
    annual = json.loads((ROOT / "surveys/questionnaires/hms_annual_report.json").read_text())
    services.questionnaire_import(actor=None, raw=annual)
    admin = client_for(org.person(Role.HMS_ADMIN))
    today = dt.date.today()
    r = admin.post("/kampanjer/arsrapport/", {"year": today.year, "opens_on": today.isoformat(),
                                              "closes_on": (today + dt.timedelta(days=40)).isoformat()})  # fmt: skip
    assert r.status_code == 302
    campaign = Campaign.objects.get(mode="joint", year=today.year)
    active = set(OrgUnit.objects.active().exclude(parent=None).values_list("code", flat=True))
    assert set(campaign.responses.values_list("unit__code", flat=True)) == active
    # A second attempt for the same year is refused with a message, not a duplicate.
    admin.post("/kampanjer/arsrapport/", {"year": today.year, "opens_on": today.isoformat(),
                                          "closes_on": (today + dt.timedelta(days=40)).isoformat()})  # fmt: skip
    assert Campaign.objects.filter(mode="joint", year=today.year).count() == 1


def test_a_leader_cannot_open_the_campaign_pages(org: Org) -> None:
    assert client_for(org.person(Role.LEADER, "a")).get("/kampanjer/").status_code == 404


def test_importing_an_identical_definition_does_not_publish_a_new_version(db: None) -> None:
    v1 = services.questionnaire_import(actor=None, raw=SMALL)
    v2 = services.questionnaire_import(actor=None, raw=json.dumps(SMALL))
    assert v1.pk == v2.pk
    changed = json.loads(json.dumps(SMALL))
    changed["pages"][3]["elements"][1]["title"] = "Andre merknader"
    v3 = services.questionnaire_import(actor=None, raw=changed)
    assert v3.number == 2 and Questionnaire.objects.count() == 1
    assert v1.definition != v3.definition  # version 1 is untouched


def test_the_import_command_prints_errors_with_json_paths_and_stores_nothing(tmp_path: Path, db: None, capsys: pytest.CaptureFixture[str]) -> None:
    bad = json.loads(json.dumps(SMALL))
    bad["pages"][1]["elements"][0]["visibleIf"] = "{answered_jointly} = = true"
    bad["pages"][2]["elements"][0]["type"] = "radio"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(CommandError, match="rejected"):
        call_command("import_questionnaire", str(path))
    err = capsys.readouterr().err
    assert "pages[1].elements[0].visibleIf" in err and "position" in err
    assert "pages[2].elements[0].type" in err
    assert not Questionnaire.objects.exists() and not QuestionnaireVersion.objects.exists()


def test_the_import_command_publishes_the_builtin_questionnaires(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p) for p in (ROOT / "surveys/questionnaires").glob("*.json"))
    call_command("import_questionnaire", *files)
    assert Questionnaire.objects.count() == len(files)
    assert AuditEvent.objects.filter(verb="questionnaire.publish").count() == len(files)


def test_an_uploaded_definition_with_errors_is_shown_with_paths(org: Org) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = json.loads(json.dumps(SMALL))
    bad["pages"][0]["elements"][1]["name"] = "unit_name"  # duplicate name
    admin = client_for(org.person(Role.HMS_ADMIN))
    upload = SimpleUploadedFile("q.json", json.dumps(bad).encode(), content_type="application/json")
    html = admin.post("/sporreskjema/", {"file": upload, "note": ""}).content.decode()
    assert "pages[0].elements[1]" in html and "Spørreskjemaet ble ikke importert" in html
    assert not Questionnaire.objects.exists()


def test_any_version_can_be_exported_as_surveyjs_json(org: Org, version: QuestionnaireVersion) -> None:
    r = client_for(org.person(Role.HMS_ADMIN)).get(f"/sporreskjema/versjon/{version.pk}.json")
    assert r.status_code == 200 and json.loads(r.content) == SMALL
    assert "attachment" in r["Content-Disposition"]


def test_a_version_with_responses_cannot_be_changed_in_the_admin(org: Org, response: Response) -> None:
    from django.contrib.admin.sites import site

    version_admin = site._registry[QuestionnaireVersion]

    class R:
        user = org.person(Role.HMS_ADMIN)

    assert version_admin.has_change_permission(R()) is False
