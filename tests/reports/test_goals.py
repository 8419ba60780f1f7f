"""HMS goals: set per unit and year on an indicator with a target, measured against the same
figures as the trend pages and the AMU report, and a missed goal can become an action."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent, Role
from reports import selectors, services
from reports.models import HmsGoal
from tests.conftest import Org
from tests.core.test_url_permissions import _expected, _people
from tests.reports import support
from tests.surveys.conftest import client_for

I = HmsGoal.Indicator  # noqa: E741


def _goal(org: Org, unit: object, year: int, indicator: str, **kw: object) -> HmsGoal:
    return services.goal_create(actor=org.person(Role.HMS_ADMIN), unit=unit, year=year, indicator=indicator, **kw)  # type: ignore[arg-type]


def _attainment(goal: HmsGoal) -> selectors.Attainment:
    return selectors.goal_attainment(goal, selectors.GoalData())


def test_h2_below_a_target_from_the_injury_statistics(org: Org) -> None:
    y = support.this_year() - 1
    support.joint_campaign(org, "injury_stats", y, [org.a], sign=[org.a], answers={org.a: support.injury_values(y, hours=400_000, mti=1)})
    met = _goal(org, org.a, y, I.H2_BELOW, target_value=Decimal("5"))
    missed = _goal(org, org.root, y, I.H2_BELOW, target_value=Decimal("2"))
    assert _attainment(met).status == "met" and _attainment(met).value == 2.5
    assert _attainment(missed).status == "missed"


def test_annual_reports_signed_by_the_first_of_march(org: Org) -> None:
    y = support.this_year()
    support.joint_campaign(org, "hms_annual_report", y, [org.a, org.b], sign=[org.a], signed_on=dt.date(y, 2, 20))
    goal = _goal(org, org.root, y, I.REPORT_SIGNED_BY, target_date=dt.date(y, 3, 1))
    a = _attainment(goal)
    assert a.value_text == "1/2" and a.status in ("missed", "pending")
    assert _attainment(_goal(org, org.a, y, I.REPORT_SIGNED_BY, target_date=dt.date(y, 3, 1))).status == "met"


def test_barometer_share_favourable_only_when_the_group_size_rule_shows_it(org: Org) -> None:
    y = support.this_year()
    support.anon_campaign(org, "hms_barometer", y, {org.a: support.mixed_barometers(5, 4), org.a1: support.mixed_barometers(4, 4)})
    a = _goal(org, org.a, y, I.BAROMETER_FAVOURABLE, target_value=Decimal("80"), measure="barometer_routines_followed")
    a1 = _goal(org, org.a1, y, I.BAROMETER_FAVOURABLE, target_value=Decimal("80"), measure="barometer_routines_followed")
    assert _attainment(a).status == "met" and _attainment(a).value == 88.9  # A with A1 merged into it: 8 of 9
    assert _attainment(a1).status == "hidden" and _attainment(a1).value is None


def test_all_overdue_actions_closed(org: Org) -> None:
    from tests.workflows import factories as f

    y = support.this_year()
    action = f.action(org, "a")
    from workflows.models import ActionItem

    ActionItem.objects.filter(pk=action.pk).update(due_date=dt.date(y - 1, 6, 1), created_at=support.aware(dt.date(y - 1, 1, 5)))
    missed = _goal(org, org.a, y - 1, I.OVERDUE_ACTIONS_CLOSED)
    assert _attainment(missed).status == "missed" and _attainment(missed).value == 1.0
    assert _attainment(_goal(org, org.b, y - 1, I.OVERDUE_ACTIONS_CLOSED)).status == "met"


def test_a_missed_goal_becomes_a_proposed_action_once(org: Org) -> None:
    from workflows.models import ActionItem

    y = support.this_year() - 1
    support.joint_campaign(org, "injury_stats", y, [org.a], sign=[org.a], answers={org.a: support.injury_values(y, hours=100_000, lti=2)})
    goal = _goal(org, org.a, y, I.H2_BELOW, target_value=Decimal("5"), description="Færre skader i laben.")
    client = client_for(org.person(Role.LEADER, "a"))
    r = client.post(reverse("goal_action", args=[goal.pk]))
    action = ActionItem.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("action_detail", args=[action.pk])
    assert action.unit == org.a and action.status == "proposed" and "H2" in action.title and "Færre skader" in action.description
    goal.refresh_from_db()
    assert goal.action == action
    assert AuditEvent.objects.filter(verb="goal.action", target_id=str(goal.pk)).exists()
    with pytest.raises(ValidationError):
        services.goal_create_action(actor=org.person(Role.LEADER, "a"), goal=goal)


def test_a_goal_that_is_met_does_not_become_an_action(org: Org) -> None:
    y = support.this_year() - 1
    goal = _goal(org, org.b, y, I.OVERDUE_ACTIONS_CLOSED)
    with pytest.raises(ValidationError):
        services.goal_create_action(actor=org.person(Role.HMS_ADMIN), goal=goal)


def test_goals_are_checked_and_audited(org: Org) -> None:
    y = support.this_year()
    with pytest.raises(ValidationError):
        _goal(org, org.a, y, I.BAROMETER_FAVOURABLE, target_value=Decimal("80"), measure="no_such_question")
    with pytest.raises(ValidationError):
        _goal(org, org.a, y, I.REPORT_SIGNED_BY)
    with pytest.raises(PermissionDenied):
        services.goal_create(actor=org.person(Role.LEADER, "b"), unit=org.a, year=y, indicator=I.OVERDUE_ACTIONS_CLOSED)
    goal = services.goal_create(actor=org.person(Role.LEADER, "a"), unit=org.a, year=y, indicator=I.OVERDUE_ACTIONS_CLOSED)
    assert AuditEvent.objects.filter(verb="goal.create", target_id=str(goal.pk)).exists()
    with pytest.raises(ValidationError):
        services.goal_create(actor=org.person(Role.LEADER, "a"), unit=org.a, year=y, indicator=I.OVERDUE_ACTIONS_CLOSED)


def test_the_goal_pages_create_edit_and_show_attainment(org: Org) -> None:
    client = client_for(org.person(Role.LEADER, "a"))
    y = support.this_year()
    r = client.post(reverse("goal_create", args=[org.a.code]), {"year": y, "indicator": "h2_below", "target_value": "5", "description": "Mål"})
    assert r.status_code == 302
    goal = HmsGoal.objects.get()
    r = client.post(reverse("goal_edit", args=[goal.pk]), {"year": y, "indicator": "h2_below", "target_value": "4", "description": "Nytt"})
    goal.refresh_from_db()
    assert goal.target_value == Decimal("4") and goal.description == "Nytt"
    html = client.get(reverse("goal_list", args=[org.a.code])).content.decode()
    assert f'data-goal="{goal.pk}"' in html and "under 4,0" in html
    r = client.post(reverse("goal_create", args=[org.a.code]), {"year": y, "indicator": "barometer_favourable", "target_value": "80"})
    assert r.status_code == 200 and "Velg et spørsmål" in r.content.decode()


def test_deleting_a_goal_is_for_those_who_manage_actions(org: Org) -> None:
    y = support.this_year()
    for side, own in (("a", True), ("b", False)):
        unit = org.a if side == "a" else org.b
        for role, user in _people(org):
            goal = _goal(org, unit, y, I.OVERDUE_ACTIONS_CLOSED)
            client = Client()
            client.force_login(user)
            status = client.post(reverse("goal_delete", args=[goal.pk])).status_code
            if _expected(role, "action.manage", own):  # type: ignore[arg-type]
                assert status == 302 and not HmsGoal.objects.filter(pk=goal.pk).exists(), role
            else:
                assert status == 404 and HmsGoal.objects.filter(pk=goal.pk).exists(), role
                goal.delete()
