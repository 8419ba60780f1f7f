"""The demo shows three years of follow-up work, with dates relative to today, and loads only once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core import demo as core_demo
from core.models import OrgUnit
from workflows import demo
from workflows.models import ActionItem, Deviation, HmsRound, LearningReport, RiskAssessment
from workflows.selectors import unit_period_stats


@pytest.mark.django_db
def test_the_demo_has_three_years_of_follow_up_and_is_idempotent() -> None:
    core_demo.build_organisation()
    mail.outbox.clear()
    first = demo.load()
    assert first["actions"] >= 15 and first["deviations"] >= 15 and first["rounds"] >= 3
    assert demo.load() == {}  # the second run changes nothing
    assert ActionItem.objects.count() == first["actions"]
    assert mail.outbox == []  # loading the demo sends no email

    today = timezone.localdate()
    actions = ActionItem.objects.all()
    assert any(a.is_overdue(today) for a in actions)
    assert actions.filter(status="open", due_date__gte=today).exists()
    assert actions.filter(status="verified").exists() and actions.filter(status="proposed").exists()
    assert actions.filter(status="done").exists()  # waiting for verification

    deviations = Deviation.objects.all()
    assert deviations.filter(category="injury", injury_class="lost_time", absence_days__gt=0).exists()
    assert deviations.filter(category="near_miss").exists()
    assert deviations.filter(involved_party="contractor").exists()
    assert deviations.filter(anonymous=True, reporter__isnull=True).exists()
    hri = deviations.get(high_potential=True, category="near_miss", status="closed")
    assert LearningReport.objects.get(deviation=hri).shared_at is not None
    assert deviations.filter(status__in=Deviation.OPEN_STATUSES).count() >= 3
    years = {d.occurred_at.year for d in deviations}
    assert {today.year - 2, today.year - 1} <= years

    rounds = HmsRound.objects.all()
    assert {r.planned_date.year for r in rounds} >= {today.year - 2, today.year - 1}
    assert rounds.filter(status="closed").count() >= 2 and rounds.filter(status="planned").exists()
    assert rounds.filter(status="conducted").exists()
    assert RiskAssessment.objects.filter(status="completed").count() >= 2
    assert RiskAssessment.objects.filter(status="draft").exists()

    kje = OrgUnit.objects.get(code="NT-KJE")
    last_year = unit_period_stats(kje, dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
    assert last_year["deviations"] >= 5 and last_year["hms_rounds"] == 1 and last_year["absence_days"] > 0
