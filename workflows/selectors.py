"""Reads for follow-up work that span relations. Other apps (surveys, reports) call these.

`unit_period_stats` is the link from deviations to the annual report's prefill and to the injury
statistics (H1/H2 numerators, first-aid injuries, HRI lines 7 and 8, own staff vs contractors).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from core.models import OrgUnit, User
from core.permissions import Perm, units_with_perm
from core.selectors import organisation_root

from .models import (
    ActionItem,
    AnnualCycleItem,
    Deviation,
    HmsRound,
    LearningReport,
    RiskAssessment,
    WorkflowSettings,
)

# ----------------------------------------------------------------------------- settings


def workflow_settings() -> WorkflowSettings:
    """The organisation's settings (defaults, unsaved, until the HMS admin changes them)."""
    root = organisation_root()
    if root is not None:
        found = WorkflowSettings.objects.filter(organisation=root).first()
        if found is not None:
            return found
    return WorkflowSettings(organisation=root) if root is not None else WorkflowSettings()


# ----------------------------------------------------------------------------- lists


def _units(unit: OrgUnit, include_subunits: bool) -> Q:
    return Q(unit__path__startswith=unit.path) if include_subunits else Q(unit=unit)


ACTION_SORTS = {
    "due": ("due_date", "pk"),
    "-due": ("-due_date", "-pk"),
    "priority": ("priority_rank", "due_date", "pk"),
    "status": ("status", "due_date", "pk"),
    "title": ("title", "pk"),
    "created": ("-created_at", "-pk"),
}


def action_plan(
    unit: OrgUnit,
    *,
    include_subunits: bool = False,
    statuses: list[str] | None = None,
    year: int | None = None,
    owner: User | None = None,
    overdue_only: bool = False,
    source: str | None = None,
    sort: str = "due",
    today: dt.date | None = None,
) -> QuerySet[ActionItem]:
    """The unit's action plan, filtered and sorted (one query; nulls last for deadlines)."""
    from django.db.models import Case, IntegerField, Value, When

    today = today or timezone.localdate()
    qs = ActionItem.objects.filter(_units(unit, include_subunits)).select_related("unit", "owner")
    if statuses:
        qs = qs.filter(status__in=statuses)
    if year:
        qs = qs.filter(year=year)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if source:
        qs = qs.filter(source_kind=source)
    if overdue_only:
        qs = qs.filter(due_date__lt=today, status__in=ActionItem.UNFINISHED)
    qs = qs.annotate(
        priority_rank=Case(
            When(priority="high", then=Value(0)),
            When(priority="medium", then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    from django.db.models import F

    order = ACTION_SORTS.get(sort, ACTION_SORTS["due"])
    if order[0] == "due_date":
        return qs.order_by(F("due_date").asc(nulls_last=True), "pk")
    if order[0] == "-due_date":
        return qs.order_by(F("due_date").desc(nulls_last=True), "-pk")
    return qs.order_by(*order)


def deviations_for_unit(
    unit: OrgUnit, *, include_subunits: bool = False, statuses: list[str] | None = None
) -> QuerySet[Deviation]:
    qs = Deviation.objects.filter(_units(unit, include_subunits)).select_related("unit", "case_handler")
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs.order_by("-reported_at", "-pk")


def rounds_for_unit(unit: OrgUnit, *, include_subunits: bool = False) -> QuerySet[HmsRound]:
    return (
        HmsRound.objects.filter(_units(unit, include_subunits))
        .select_related("unit", "safety_area")
        .annotate(finding_count=Count("findings"))
        .order_by("-planned_date", "-pk")
    )


def risk_assessments_for_unit(unit: OrgUnit, *, include_subunits: bool = False) -> QuerySet[RiskAssessment]:
    return (
        RiskAssessment.objects.filter(_units(unit, include_subunits))
        .select_related("unit")
        .annotate(row_count=Count("rows"))
        .order_by("-created_at", "-pk")
    )


def round_planning_material(round_: HmsRound) -> dict[str, Any]:
    """What the planners look at first: open deviations, risk assessments, the action plan."""
    unit = round_.unit
    return {
        "open_deviations": list(
            deviations_for_unit(unit, include_subunits=True, statuses=list(Deviation.OPEN_STATUSES))[:50]
        ),
        "risk_assessments": list(
            risk_assessments_for_unit(unit, include_subunits=True).exclude(status=RiskAssessment.Status.ARCHIVED)[:50]
        ),
        "open_actions": list(
            action_plan(unit, include_subunits=True, statuses=list(ActionItem.UNFINISHED))[:100]
        ),
        "previous_round": HmsRound.objects.filter(safety_area=round_.safety_area, planned_date__lt=round_.planned_date)
        .exclude(pk=round_.pk)
        .exclude(status=HmsRound.Status.CANCELLED)
        .order_by("-planned_date")
        .first(),
    }


def planning_snapshot(unit: OrgUnit) -> dict[str, int]:
    today = timezone.localdate()
    actions = ActionItem.objects.filter(unit__path__startswith=unit.path, status__in=ActionItem.UNFINISHED)
    return {
        "open_deviations": Deviation.objects.filter(
            unit__path__startswith=unit.path, status__in=Deviation.OPEN_STATUSES
        ).count(),
        "risk_assessments": RiskAssessment.objects.filter(unit__path__startswith=unit.path)
        .exclude(status=RiskAssessment.Status.ARCHIVED)
        .count(),
        "open_actions": actions.count(),
        "overdue_actions": actions.filter(due_date__lt=today).count(),
    }


def deviation_by_receipt(code: str) -> Deviation | None:
    from .services.deviations import receipt_hash

    if not code or len(code) > 64:
        return None
    return Deviation.objects.filter(anonymous=True, receipt_hash=receipt_hash(code)).select_related("unit").first()


def learning_reports_visible_to(user: User) -> QuerySet[LearningReport]:
    """Shared reports for everyone in the organisation; unshared ones for those who see the case."""
    units = units_with_perm(user, Perm.DEVIATION_VIEW)
    return (
        LearningReport.objects.filter(Q(shared_at__isnull=False) | Q(deviation__unit__in=units))
        .select_related("deviation__unit")
        .order_by("-written_at")
    )


# ----------------------------------------------------------------------------- statistics


INJURY_CLASSES = [c.value for c in Deviation.InjuryClass]
CATEGORIES = [c.value for c in Deviation.Category]


def _column(qs: QuerySet[Deviation], fatalities_in_h1: bool) -> dict[str, int]:
    agg = qs.aggregate(
        deviations=Count("pk"),
        fatalities=Count("pk", filter=Q(category="injury", injury_class="fatal")),
        lti=Count("pk", filter=Q(category="injury", injury_class="lost_time")),
        mti=Count("pk", filter=Q(category="injury", injury_class="medical_treatment")),
        first_aid=Count("pk", filter=Q(category="injury", injury_class="first_aid")),
        hri_line7=Count("pk", filter=Q(high_potential=True, category="injury")),
        hri_nearmiss_line8=Count("pk", filter=Q(high_potential=True, category="near_miss")),
        days_lost=Sum("absence_days", filter=Q(category="injury")),
    )
    column = {k: int(v or 0) for k, v in agg.items()}
    fatal = column["fatalities"] if fatalities_in_h1 else 0
    column["h1_numerator"] = column["lti"] + fatal
    column["h2_numerator"] = column["lti"] + column["mti"] + fatal
    return column


def unit_period_stats(
    unit: OrgUnit, start: dt.date, end: dt.date, *, include_subunits: bool = False
) -> dict[str, Any]:
    """Counts for a unit between two dates (both included), by when the event occurred.

    Rejected reports (not a deviation) are left out. Keys:
    * ``deviations``: all deviations; ``by_category``: per category (every category present);
    * ``hri``: high-potential events; ``hri_injuries`` (Norsk Industri line 7: fatalities,
      injuries and first-aid injuries with large potential); ``hri_near_misses`` (line 8);
    * ``injuries``: per injury class (fatal, lost_time, medical_treatment, first_aid);
      ``absence_days``: days lost to injuries;
    * ``own`` (own staff and hired-in workers, one column as in Norsk Industri's form) and
      ``contractor`` (contractors and sub-suppliers): each with deviations, fatalities, lti, mti,
      first_aid, hri_line7, hri_nearmiss_line8, days_lost, h1_numerator and h2_numerator
      (H1 = lost-time injuries, H2 = lost-time + medical-treatment injuries; fatalities are
      included when the organisation's setting says so); ``h1_numerator``/``h2_numerator`` for
      both columns together;
    * ``hms_rounds``: rounds held (conducted) in the period; ``open_deviations``: still open now;
      ``closed_on_time`` / ``closed_with_deadline``: closed deviations that had a deadline, and
      how many of them were closed by it.
    """
    start_dt = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    end_dt = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    scope = _units(unit, include_subunits)
    base = Deviation.objects.filter(scope, occurred_at__gte=start_dt, occurred_at__lt=end_dt).exclude(
        status=Deviation.Status.REJECTED
    )
    settings = workflow_settings()
    by_category = dict.fromkeys(CATEGORIES, 0)
    for row in base.values("category").annotate(n=Count("pk")):
        by_category[row["category"]] = row["n"]
    injuries = dict.fromkeys(INJURY_CLASSES, 0)
    for row in base.filter(category="injury").values("injury_class").annotate(n=Count("pk")):
        if row["injury_class"] in injuries:
            injuries[row["injury_class"]] = row["n"]
    own = _column(base.filter(involved_party__in=["own", "hired"]), settings.fatalities_in_h1)
    contractor = _column(base.filter(involved_party="contractor"), settings.fatalities_in_h1)
    total = _column(base, settings.fatalities_in_h1)
    closed = base.filter(status=Deviation.Status.CLOSED, deadline__isnull=False, closed_at__isnull=False)
    closed_on_time = sum(
        1 for deadline, closed_at in closed.values_list("deadline", "closed_at")
        if timezone.localtime(closed_at).date() <= deadline
    )  # fmt: skip
    rounds = HmsRound.objects.filter(
        scope,
        conducted_on__gte=start,
        conducted_on__lte=end,
        status__in=[HmsRound.Status.CONDUCTED, HmsRound.Status.SUMMARISED, HmsRound.Status.CLOSED],
    ).count()
    return {
        "unit": unit.code,
        "start": start,
        "end": end,
        "deviations": total["deviations"],
        "by_category": by_category,
        "hri": base.filter(high_potential=True).count(),
        "hri_injuries": total["hri_line7"],
        "hri_near_misses": total["hri_nearmiss_line8"],
        "injuries": injuries,
        "absence_days": total["days_lost"],
        "own": own,
        "contractor": contractor,
        "h1_numerator": total["h1_numerator"],
        "h2_numerator": total["h2_numerator"],
        "open_deviations": base.filter(status__in=Deviation.OPEN_STATUSES).count(),
        "closed_with_deadline": len(closed),
        "closed_on_time": closed_on_time,
        "hms_rounds": rounds,
    }


# ----------------------------------------------------------------------------- "Mine oppgaver"


def my_actions(user: User) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(owner=user, status__in=ActionItem.ACTIVE)
        .select_related("unit")
        .order_by("due_date", "pk")
    )


def actions_to_follow_up(user: User) -> QuerySet[ActionItem]:
    """Proposed actions to confirm (leaders) and done actions to verify (leaders, verneombud)."""
    manage = units_with_perm(user, Perm.ACTION_MANAGE)
    verify = units_with_perm(user, Perm.ACTION_VERIFY)
    return (
        ActionItem.objects.filter(
            Q(status=ActionItem.Status.PROPOSED, unit__in=manage)
            | (Q(status=ActionItem.Status.DONE, unit__in=verify) & ~Q(completed_by=user))
        )
        .select_related("unit")
        .order_by("due_date", "pk")
    )


def deviations_to_handle(user: User) -> QuerySet[Deviation]:
    units = units_with_perm(user, Perm.DEVIATION_HANDLE)
    return (
        Deviation.objects.filter(unit__in=units, status__in=Deviation.OPEN_STATUSES)
        .filter(Q(case_handler__isnull=True) | Q(case_handler=user) | Q(legal_notice_required=True))
        .select_related("unit")
        .order_by("-legal_notice_required", "deadline", "reported_at")
    )


def rounds_to_prepare(user: User) -> QuerySet[HmsRound]:
    units = units_with_perm(user, Perm.ROUND_MANAGE)
    return (
        HmsRound.objects.filter(
            unit__in=units, status__in=[HmsRound.Status.PLANNED, HmsRound.Status.CONDUCTED]
        )
        .select_related("unit")
        .order_by("planned_date")
    )


def risk_reviews_due(user: User, *, within_days: int = 60) -> QuerySet[RiskAssessment]:
    units = units_with_perm(user, Perm.RISK_MANAGE)
    limit = timezone.localdate() + dt.timedelta(days=within_days)
    newer = RiskAssessment.objects.filter(previous=OuterRef("pk"))
    return (
        RiskAssessment.objects.filter(
            unit__in=units, status=RiskAssessment.Status.COMPLETED, next_review_due__lte=limit
        )
        .exclude(Exists(newer))
        .select_related("unit")
        .order_by("next_review_due")
    )


# ----------------------------------------------------------------------------- calendar


@dataclass(frozen=True)
class CalendarEntry:
    date: dt.date
    title: str
    kind: str
    kind_label: str
    unit_name: str = ""
    url: str = ""
    uid: str = ""


def cycle_items_for_unit(unit: OrgUnit | None) -> QuerySet[AnnualCycleItem]:
    """Active årshjul items that apply to a unit (organisation-wide ones and those above it)."""
    qs = AnnualCycleItem.objects.filter(active=True).select_related("unit")
    if unit is None:
        return qs
    ancestors = [*unit.ancestor_ids, unit.pk]
    return qs.filter(Q(unit__isnull=True) | Q(unit_id__in=ancestors))


def calendar_entries(
    *, units: QuerySet[OrgUnit] | list[OrgUnit] | None, year: int, unit: OrgUnit | None = None,
    user: User | None = None,
) -> list[CalendarEntry]:  # fmt: skip
    """A year's dates: årshjul items, HMS rounds, risk-assessment reviews, own action deadlines.

    `unit` set: that unit's calendar. `units`: the units whose rounds and reviews to show
    (None: only the årshjul). `user`: also that person's own action deadlines.
    """
    from django.urls import reverse

    entries: list[CalendarEntry] = []
    for item in cycle_items_for_unit(unit):
        entries.append(
            CalendarEntry(
                date=item.date_in(year),
                title=item.display_title,
                kind=item.kind,
                kind_label=str(item.get_kind_display()),
                unit_name=item.unit.name if item.unit else "",
                uid=f"cycle-{item.pk}-{year}",
            )
        )
    if units is not None:
        rounds = HmsRound.objects.filter(unit__in=units, planned_date__year=year).exclude(
            status=HmsRound.Status.CANCELLED
        ).select_related("unit")
        for r in rounds:
            entries.append(
                CalendarEntry(
                    date=r.planned_date, title=r.title, kind="round", kind_label=str(HmsRound._meta.verbose_name),
                    unit_name=r.unit.name, url=reverse("round_detail", kwargs={"pk": r.pk}), uid=f"round-{r.pk}",
                )
            )
        reviews = RiskAssessment.objects.filter(
            unit__in=units, status=RiskAssessment.Status.COMPLETED, next_review_due__year=year
        ).select_related("unit")
        for ra in reviews:
            entries.append(
                CalendarEntry(
                    date=ra.next_review_due, title=ra.title, kind="risk_review",
                    kind_label=str(AnnualCycleItem.Kind.RISK_REVIEW.label), unit_name=ra.unit.name,
                    url=reverse("risk_detail", kwargs={"pk": ra.pk}), uid=f"risk-{ra.pk}",
                )
            )
    if user is not None:
        for action in my_actions(user).filter(due_date__year=year):
            entries.append(
                CalendarEntry(
                    date=action.due_date, title=action.display_title, kind="action",
                    kind_label=str(ActionItem._meta.verbose_name), unit_name=action.unit.name,
                    url=reverse("action_detail", kwargs={"pk": action.pk}), uid=f"action-{action.pk}",
                )
            )
    entries.sort(key=lambda e: (e.date, e.title))
    return entries
