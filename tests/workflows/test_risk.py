"""Risk assessments: probability × consequence, the organisation's bands, actions above the threshold, reviews."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from core.permissions import Perm
from tests.conftest import Org
from tests.workflows import factories as f
from tests.workflows.conftest import people_by_role, role_has
from workflows import services
from workflows.models import ActionItem, RiskAssessment, WorkflowSettings
from workflows.selectors import risk_reviews_due, workflow_settings


def _row(org: Org, ra: RiskAssessment, p: int, c: int, **kw: Any) -> Any:
    return services.risk_row_add(actor=org.person(Role.LEADER, "a"), assessment=ra, activity="Arbeid",
                                 hazard=kw.pop("hazard", f"Hendelse {p}x{c}"), probability=p, consequence=c, **kw)  # fmt: skip


def test_the_default_bands_are_green_to_4_yellow_to_12_red_from_15() -> None:
    s = WorkflowSettings()
    assert [s.risk_band(v) for v in (1, 4, 5, 12, 15, 25)] == ["green", "green", "yellow", "yellow", "red", "red"]


def test_the_organisation_sets_its_own_bands(org: Org) -> None:
    services.workflow_settings_update(actor=org.person(Role.HMS_ADMIN), risk_green_max=3, risk_red_min=10)
    s = workflow_settings()
    assert [s.risk_band(v) for v in (3, 4, 9, 10)] == ["green", "yellow", "yellow", "red"]
    with pytest.raises(ValidationError):
        services.workflow_settings_update(actor=org.person(Role.HMS_ADMIN), risk_green_max=12, risk_red_min=10)
    with pytest.raises(PermissionDenied):
        services.workflow_settings_update(actor=org.person(Role.LEADER, "a"), risk_red_min=20)


def test_managing_risk_assessments_follows_the_spec(org: Org) -> None:
    for role, person in people_by_role(org):
        if role_has(role, Perm.RISK_MANAGE):
            services.risk_create(actor=person, unit=org.a, title="Vurdering")
        else:
            with pytest.raises(PermissionDenied):
                services.risk_create(actor=person, unit=org.a, title="Vurdering")


def test_completing_creates_actions_for_rows_above_the_threshold(org: Org) -> None:
    leader = org.person(Role.LEADER, "a")
    ra = services.risk_create(actor=leader, unit=org.a, title="Laboratoriet")
    due = timezone.localdate() + dt.timedelta(days=40)
    above = _row(org, ra, 3, 2, measure="Avtrekk i rom 3", owner=org.person(Role.EMPLOYEE, "a"), due_date=due)
    unassigned = _row(org, ra, 2, 3, measure="Vurder verneutstyr")
    at_threshold = _row(org, ra, 2, 2)
    red = _row(org, ra, 5, 4, measure="Stopp arbeidet til ny rutine er på plass")
    ra = services.risk_complete(actor=leader, assessment=ra, conclusion="Tiltak satt i gang",
                                assessed_on=dt.date(2026, 3, 15))  # fmt: skip
    assert ra.status == "completed" and ra.next_review_due == dt.date(2028, 3, 15)
    actions = {a.source_risk_row_id: a for a in ActionItem.objects.filter(source_kind="risk_assessment")}
    assert set(actions) == {above.pk, unassigned.pk, red.pk} and at_threshold.pk not in actions
    assert (actions[above.pk].status, actions[above.pk].title, actions[above.pk].due_date) == ("open", "Avtrekk i rom 3", due)
    assert actions[unassigned.pk].status == "proposed"
    assert actions[red.pk].priority == "high"


def test_a_verneombud_completing_it_only_proposes_the_actions(org: Org) -> None:
    vo = org.person(Role.VERNEOMBUD, "a")
    ra = services.risk_create(actor=vo, unit=org.a, title="Verksted")
    services.risk_row_add(actor=vo, assessment=ra, activity="Sliping", hazard="Støy", probability=4, consequence=2,
                          measure="Hørselvern", owner=org.person(Role.EMPLOYEE, "a"),
                          due_date=timezone.localdate() + dt.timedelta(days=9))  # fmt: skip
    services.risk_complete(actor=vo, assessment=ra)
    assert ActionItem.objects.get().status == "proposed"


def test_red_risk_needs_a_measure_before_completion(org: Org) -> None:
    ra = services.risk_create(actor=org.person(Role.LEADER, "a"), unit=org.a, title="Kjemikalier")
    _row(org, ra, 5, 5)
    with pytest.raises(ValidationError, match="Rød risiko"):
        services.risk_complete(actor=org.person(Role.LEADER, "a"), assessment=ra)
    assert RiskAssessment.objects.get(pk=ra.pk).status == "draft" and not ActionItem.objects.exists()


def test_an_empty_assessment_cannot_be_completed(org: Org) -> None:
    ra = services.risk_create(actor=org.person(Role.LEADER, "a"), unit=org.a, title="Tom")
    with pytest.raises(ValidationError):
        services.risk_complete(actor=org.person(Role.LEADER, "a"), assessment=ra)


def test_a_completed_assessment_is_reviewed_in_a_new_version_and_the_old_one_is_archived(org: Org) -> None:
    leader = org.person(Role.LEADER, "a")
    ra = f.risk_assessment(org, "a", rows=2)
    services.risk_complete(actor=leader, assessment=ra, assessed_on=timezone.localdate() - dt.timedelta(days=700))
    with pytest.raises(ValidationError):
        services.risk_row_add(actor=leader, assessment=ra, activity="x", hazard="y", probability=1, consequence=1)
    assert [r.pk for r in risk_reviews_due(leader)] == [ra.pk]
    review = services.risk_start_review(actor=leader, assessment=ra)
    assert services.risk_start_review(actor=leader, assessment=ra) == review
    assert review.previous == ra and review.rows.count() == 2 and review.status == "draft"
    assert list(risk_reviews_due(leader)) == []  # a review is under way
    services.risk_complete(actor=leader, assessment=review)
    assert RiskAssessment.objects.get(pk=ra.pk).status == "archived"


def test_the_review_interval_is_a_setting(org: Org) -> None:
    services.workflow_settings_update(actor=org.person(Role.HMS_ADMIN), risk_review_months=12)
    ra = f.risk_assessment(org, "a")
    ra = services.risk_complete(actor=org.person(Role.LEADER, "a"), assessment=ra, assessed_on=dt.date(2026, 1, 31))
    assert ra.next_review_due == dt.date(2027, 1, 31)


def test_the_page_shows_the_matrix_in_the_organisation_s_colours_with_counts(org: Org) -> None:
    ra = f.risk_assessment(org, "a", rows=0)
    _row(org, ra, 3, 5, hazard="Brann")
    client = Client()
    client.force_login(org.person(Role.EMPLOYEE, "a"))
    page = client.get(reverse("risk_detail", kwargs={"pk": ra.pk}))
    assert page.status_code == 200
    assert '<td class="wf-risk--red">15 <strong>(1)</strong></td>' in page.text
    assert '<td class="wf-risk--green">4</td>' in page.text
    assert 'name="row-hazard"' not in page.text  # employees read, they do not edit


def test_rows_are_added_and_removed_from_the_page(org: Org) -> None:
    ra = f.risk_assessment(org, "a", rows=0)
    client = Client()
    client.force_login(org.person(Role.VERNEOMBUD, "a"))
    response = client.post(reverse("risk_row_add", kwargs={"pk": ra.pk}), {
        "row-activity": "Lager", "row-hazard": "Fall fra stige", "row-category": "physical",
        "row-probability": "2", "row-consequence": "4"})  # fmt: skip
    assert response.status_code == 302
    row = ra.rows.get()
    assert row.risk_value == 8
    assert client.post(reverse("risk_row_remove", kwargs={"pk": ra.pk, "row_id": row.pk})).status_code == 302
    assert not ra.rows.exists()
