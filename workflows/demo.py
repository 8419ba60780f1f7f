"""Demo follow-up data for Nordhavn universitet: three years of actions, deviations, HMS rounds,
risk assessments and the årshjul, with dates relative to today. Idempotent (a marker audit event).

Everything is written through the services, as the demo personas (core/demo.py) would:
leder.kjemi (leader, Institutt for kjemi), vo.kjemi (its verneombud), avvik.nt (case handler,
NT faculty), hms.nt (HMS coordinator), ansatt.kjemi (employee), hms.admin. Timestamps are then
moved back to when things happened (demo only), and no email is sent while loading.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.models import AuditEvent, Membership, OrgUnit, Role, SafetyArea, User
from core.services import audit_record

from . import services
from .models import (
    ActionItem,
    AnnualCycleItem,
    Deviation,
    HmsRound,
    LearningReport,
    RiskAssessment,
    RoundFinding,
)
from .notifications import muted
from .services.rounds import FindingDecision

MARKER = "demo.workflows"


def _aware(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _staff(unit: OrgUnit, n: int) -> list[User]:
    ids = (
        Membership.objects.filter(unit=unit, role=Role.EMPLOYEE)
        .exclude(user__username__in=["leder.kjemi", "vo.kjemi"])
        .order_by("user__username")
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=list(ids)[:n]).order_by("username"))


def _backdate_deviation(d: Deviation, *, reported: dt.datetime, closed: dt.datetime | None = None) -> None:
    values: dict[str, Any] = {"reported_at": reported}
    if closed is not None:
        values["closed_at"] = closed
    Deviation.objects.filter(pk=d.pk).update(**values)


def _backdate_action(a: ActionItem, *, created: dt.datetime, completed: dt.datetime | None = None,
                     verified: dt.datetime | None = None) -> None:  # fmt: skip
    values: dict[str, Any] = {"created_at": created, "updated_at": verified or completed or created}
    if completed:
        values["completed_at"] = completed
    if verified:
        values["verified_at"] = verified
    ActionItem.objects.filter(pk=a.pk).update(**values)


def load(stdout: Any = None) -> dict[str, int]:
    if AuditEvent.objects.filter(verb=MARKER).exists():
        return {}
    if not User.objects.filter(username="leder.kjemi").exists():
        return {}
    with muted(), transaction.atomic():
        counts = _load()
        root = OrgUnit.objects.filter(parent__isnull=True).first()
        audit_record(actor=None, verb=MARKER, target=root, unit=root, data=counts)  # type: ignore[arg-type]
    return counts


def _load() -> dict[str, int]:
    today = timezone.localdate()
    year = today.year
    admin = _user("hms.admin")
    leader = _user("leder.kjemi")
    vo = _user("vo.kjemi")
    handler = _user("avvik.nt")
    coordinator = _user("hms.nt")
    employee = _user("ansatt.kjemi")
    dean = _user("dekan.nt")
    kje = OrgUnit.objects.get(code="NT-KJE")
    lab = OrgUnit.objects.get(code="NT-KJE-LAB")
    area = SafetyArea.objects.get(code="VO-NT-KJE")
    lab_area = SafetyArea.objects.get(code="VO-NT-KJE-LAB")
    staff = _staff(kje, 6)
    lab_staff = _staff(lab, 3)

    services.workflow_settings_update(actor=admin, reminder_days_before=7, escalation_days_overdue=30)

    # ------------------------------------------------------------------ årshjul
    cycle = [
        dict(kind=AnnualCycleItem.Kind.REPORTING_DEADLINE, title="Personskadestatistikk for fjoråret",
             title_en="Injury statistics for last year", month=1, day=10),
        dict(kind=AnnualCycleItem.Kind.CAMPAIGN, title="HMS-årsrapport åpner", title_en="Annual HSE report opens",
             month=1, day=15, questionnaire_key="hms_annual_report", open_days=30),
        dict(kind=AnnualCycleItem.Kind.REPORTING_DEADLINE, title="Frist: årsrapportene signert",
             title_en="Deadline: annual reports signed", month=2, day=15),
        dict(kind=AnnualCycleItem.Kind.AMU_MEETING, title="AMU: årsrapport og fjorårets handlingsplan",
             title_en="WEC: annual report and last year's plan", month=2, day=25),
        dict(kind=AnnualCycleItem.Kind.LEADER_VO_MEETING, title="Møte leder og verneombud (1)", month=3, day=10),
        dict(kind=AnnualCycleItem.Kind.HMS_ROUND, title="HMS-runder", title_en="HMS rounds", month=4, day=1,
             open_days=60),
        dict(kind=AnnualCycleItem.Kind.LEADER_VO_MEETING, title="Møte leder og verneombud (2)", month=6, day=10),
        dict(kind=AnnualCycleItem.Kind.LEADER_VO_MEETING, title="Møte leder og verneombud (3)", month=9, day=10),
        dict(kind=AnnualCycleItem.Kind.AMU_MEETING, title="AMU: BHT-plan og halvårsgjennomgang", month=9, day=20),
        dict(kind=AnnualCycleItem.Kind.RISK_REVIEW, title="Gjennomgå risikovurderinger som forfaller",
             title_en="Review risk assessments that fall due", month=10, day=1),
        dict(kind=AnnualCycleItem.Kind.CAMPAIGN, title="HMS-barometeret åpner", title_en="HSE barometer opens",
             month=11, day=1, questionnaire_key="hms_barometer", open_days=21),
        dict(kind=AnnualCycleItem.Kind.LEADER_VO_MEETING, title="Møte leder og verneombud (4)", month=12, day=5),
        dict(kind=AnnualCycleItem.Kind.AMU_MEETING, title="AMU: årsplan for neste år", month=12, day=10),
    ]  # fmt: skip
    cycle_items = [services.cycle_item_create(actor=admin, **values) for values in cycle]
    round_item = next(i for i in cycle_items if i.kind == AnnualCycleItem.Kind.HMS_ROUND)

    # ------------------------------------------------------------------ rounds over three years
    rounds = 0
    for years_ago in (2, 1):
        y = year - years_ago
        planned = dt.date(y, 4, 20)
        r = services.round_plan(actor=leader, safety_area=area, unit=kje, planned_date=planned,
                                title=f"HMS-runde Institutt for kjemi {y}", participants=[leader, vo, coordinator],
                                focus_topics="Kjemikalielagring, rømningsveier og alenearbeid.")  # fmt: skip
        HmsRound.objects.filter(pk=r.pk).update(cycle_item=round_item)
        f1 = services.finding_add(actor=vo, round_=r, title="Gassflasker ikke sikret i rom 214",
                                  kind=RoundFinding.Kind.IMPROVEMENT, location="Rom 214", probability=3,
                                  consequence=4, proposed_measure="Monter kjetting for gassflasker i rom 214")  # fmt: skip
        f2 = services.finding_add(actor=coordinator, round_=r, title="Rømningsvei delvis blokkert av pappesker",
                                  kind=RoundFinding.Kind.BREACH, location="Korridor 2. etasje",
                                  description="Esker med forbruksmateriell stod i rømningsveien.")  # fmt: skip
        f3 = services.finding_add(actor=leader, round_=r, title="Ny syntesemetode med mer løsemiddel",
                                  kind=RoundFinding.Kind.RISK_CHANGE, location="Lab 3")  # fmt: skip
        services.finding_add(actor=vo, round_=r, title="Godt oppdatert stoffkartotek", kind=RoundFinding.Kind.NOTE)
        services.round_mark_conducted(actor=vo, round_=r, conducted_on=planned,
                                      employee_talks="Flere nevnte høyt tempo før semesterstart; ingen navn notert.")  # fmt: skip
        services.round_summarise(
            actor=leader, round_=r, summary_notes="Gjennomgått med verneombud og HMS-koordinator.",
            decisions=[
                FindingDecision(finding=f1, resolution="action", owner=staff[0], due_date=planned + dt.timedelta(days=30),
                                cost_estimate=Decimal(4500), priority="high"),
                FindingDecision(finding=f2, resolution="deviation", due_date=planned + dt.timedelta(days=14)),
                FindingDecision(finding=f3, resolution="risk_assessment"),
            ],
        )  # fmt: skip
        services.round_close(actor=leader, round_=r)
        # The round's action was done and verified that year.
        action = ActionItem.objects.get(source_finding=f1)
        services.action_complete(actor=staff[0], action=action, note="Kjetting montert på alle tre flaskene.")
        services.action_verify(actor=vo, action=action)
        _backdate_action(action, created=_aware(planned), completed=_aware(planned + dt.timedelta(days=20)),
                         verified=_aware(planned + dt.timedelta(days=25)))  # fmt: skip
        breach = Deviation.objects.get(source_finding=f2)
        services.deviation_update(actor=handler, deviation=breach, cause_analysis="Manglende lagerplass ved varelevering.")
        services.deviation_add_measure(actor=handler, deviation=breach, title="Egen hylle for varelevering i kjelleren",
                                       owner=staff[1], due_date=planned + dt.timedelta(days=10))  # fmt: skip
        measure = breach.actions.get()
        services.action_complete(actor=staff[1], action=measure, note="Hylle satt opp, rutinen gjennomgått.")
        services.action_verify(actor=leader, action=measure)
        _backdate_action(measure, created=_aware(planned), completed=_aware(planned + dt.timedelta(days=8)),
                         verified=_aware(planned + dt.timedelta(days=9)))  # fmt: skip
        ActionItem.objects.filter(pk__in=[measure.pk, action.pk]).update(year=y)
        services.deviation_plan_measures(actor=handler, deviation=breach)
        services.deviation_close(actor=handler, deviation=breach, closing_comment="Hyllen hindrer at esker settes i korridoren.",
                                 lessons_learned="Varemottak må ha fast plass.")  # fmt: skip
        _backdate_deviation(breach, reported=_aware(planned, 14), closed=_aware(planned + dt.timedelta(days=12)))
        rounds += 1

    # This year's rounds: Kjemi planned ahead, the lab section conducted and waiting for its summary.
    this_round = services.round_plan(actor=coordinator, safety_area=area, unit=kje,
                                     planned_date=today + dt.timedelta(days=21), participants=[leader, vo, coordinator],
                                     focus_topics="Oppfølging av fjorårets funn; avtrekksskap.")  # fmt: skip
    HmsRound.objects.filter(pk=this_round.pk).update(cycle_item=round_item)
    lab_round = services.round_plan(actor=leader, safety_area=lab_area, unit=lab, planned_date=today - dt.timedelta(days=5),
                                    title=f"HMS-runde Laboratorieseksjonen {year}", participants=[leader, coordinator])  # fmt: skip
    services.finding_add(actor=coordinator, round_=lab_round, title="Øyeskylleflaske utgått på dato",
                         kind=RoundFinding.Kind.IMPROVEMENT, location="Lab 1", probability=2, consequence=3,
                         proposed_measure="Bytt øyeskylleflasker og legg inn kontroll i sjekklisten")  # fmt: skip
    services.finding_add(actor=coordinator, round_=lab_round, title="Avtrekksskap 4 mangler kontrollmerke",
                         kind=RoundFinding.Kind.IMPROVEMENT, location="Lab 2", probability=2, consequence=4)  # fmt: skip
    services.round_mark_conducted(actor=coordinator, round_=lab_round, conducted_on=today - dt.timedelta(days=5),
                                  employee_talks="Ansatte ønsker bedre opplæring i nye instrumenter.")  # fmt: skip
    rounds += 2

    # ------------------------------------------------------------------ risk assessments
    old = services.risk_create(actor=leader, unit=kje, title="Arbeid i avtrekksskap",
                               scope="Daglig arbeid med flyktige løsemidler i lab 1–3.")  # fmt: skip
    services.risk_row_add(actor=vo, assessment=old, activity="Destillasjon", hazard="Brann ved lekkasje av løsemiddel",
                          category="fire", probability=2, consequence=5, measure="Automatisk slokkeanlegg i avtrekk",
                          owner=leader, due_date=dt.date(year - 2, 9, 1))  # fmt: skip
    services.risk_row_add(actor=vo, assessment=old, activity="Veiing", hazard="Innånding av damp",
                          category="chemical", probability=3, consequence=2)  # fmt: skip
    services.risk_complete(actor=leader, assessment=old, conclusion="Akseptabel med tiltaket.",
                           assessed_on=today - dt.timedelta(days=2 * 365 - 30))  # fmt: skip
    for a in ActionItem.objects.filter(source_risk_row__assessment=old, status=ActionItem.Status.OPEN):
        services.action_complete(actor=a.owner, action=a, note="Slokkeanlegg installert og testet.")
        services.action_verify(actor=vo, action=a)
    ActionItem.objects.filter(source_risk_row__assessment=old).update(year=year - 2)
    workshop = services.risk_create(actor=leader, unit=OrgUnit.objects.get(code="NT-KJE-VERK"), title="Mekanisk verksted",
                                    trigger="purchase", scope="Ny dreiebenk.")  # fmt: skip
    services.risk_row_add(actor=leader, assessment=workshop, activity="Dreiing", hazard="Klær eller hår fanges av chuck",
                          category="physical", probability=2, consequence=4, measure="Opplæring og hårnett",
                          owner=leader, due_date=today + dt.timedelta(days=45))  # fmt: skip
    services.risk_row_add(actor=leader, assessment=workshop, activity="Sliping", hazard="Støy",
                          category="physical", probability=4, consequence=1)  # fmt: skip
    services.risk_complete(actor=leader, assessment=workshop, assessed_on=today - dt.timedelta(days=300))

    # ------------------------------------------------------------------ the action plan
    def action(title: str, owner: User, due: dt.date, *, created_days_ago: int, cost: int | None = None,
               priority: str = "medium") -> ActionItem:  # fmt: skip
        a = services.action_create(actor=leader, unit=kje, title=title, owner=owner, due_date=due, confirm=True,
                                   cost_estimate=Decimal(cost) if cost else None, priority=priority,
                                   year=(today - dt.timedelta(days=created_days_ago)).year)  # fmt: skip
        _backdate_action(a, created=_aware(today - dt.timedelta(days=created_days_ago)))
        return a

    action("Sett opp fire faste møter mellom leder og verneombud i årshjulet", leader, today + dt.timedelta(days=20),
           created_days_ago=40)
    late = action("Oppdater branninstruksen i alle laber", staff[2], today - dt.timedelta(days=12), created_days_ago=70,
                  priority="high")
    services.action_start(actor=staff[2], action=late)
    action("Kartlegg støy i verkstedet", staff[3], today - dt.timedelta(days=45), created_days_ago=120, cost=15000)
    action("Nye stoler med armlener på kontorene", staff[4], today + dt.timedelta(days=90), created_days_ago=10,
           cost=48000, priority="low")
    done = action("Førstehjelpskurs for nye ansatte", staff[5], today - dt.timedelta(days=30), created_days_ago=150,
                  cost=12000)
    services.action_complete(actor=staff[5], action=done, note="Åtte ansatte har fullført kurset.")
    services.action_verify(actor=vo, action=done)
    waiting = action("Skilt for nødnummer ved alle telefoner", staff[0], today - dt.timedelta(days=3), created_days_ago=60)
    services.action_complete(actor=staff[0], action=waiting, note="Skilt satt opp i alle rom med telefon.")
    services.action_create(actor=vo, unit=kje, title="Innfør sjekkliste for HMS-introduksjon av nyansatte")

    # ------------------------------------------------------------------ deviations over three years
    reporters = [employee, *staff, *lab_staff]
    devs = 0

    def report(reporter: User, unit: OrgUnit, when: dt.datetime, **kw: Any) -> Deviation:
        nonlocal devs
        d, _code = services.deviation_report(actor=reporter, unit=unit, occurred_at=when, **kw)
        _backdate_deviation(d, reported=when + dt.timedelta(hours=3))
        devs += 1
        return d

    def handle_and_close(d: Deviation, when: dt.datetime, *, measure: str | None = None,
                         lessons: str = "Gjennomgått på personalmøtet.") -> None:  # fmt: skip
        services.deviation_start_review(actor=handler, deviation=d, deadline=today + dt.timedelta(days=30))
        services.deviation_update(actor=handler, deviation=d, cause_analysis="Rutinen var ikke kjent for alle.")
        if measure:
            services.deviation_add_measure(actor=handler, deviation=d, title=measure, owner=leader,
                                           due_date=(when + dt.timedelta(days=20)).date())  # fmt: skip
            for a in d.actions.all():
                services.action_complete(actor=leader, action=a, note="Gjennomført.")
                services.action_verify(actor=vo, action=a)
                _backdate_action(a, created=when + dt.timedelta(days=2), completed=when + dt.timedelta(days=15),
                                 verified=when + dt.timedelta(days=17))  # fmt: skip
                ActionItem.objects.filter(pk=a.pk).update(year=when.year)
            services.deviation_plan_measures(actor=handler, deviation=d)
        else:
            services.deviation_plan_measures(actor=handler, deviation=d, no_measures_reason="Engangshendelse.")
        services.deviation_close(actor=handler, deviation=d, closing_comment="Tiltaket virker.", lessons_learned=lessons,
                                 feedback_to_reporter="Takk for meldingen. Rutinen er gjennomgått med alle.")  # fmt: skip
        deadline = (when + dt.timedelta(days=30)).date()
        Deviation.objects.filter(pk=d.pk).update(deadline=deadline, closed_at=when + dt.timedelta(days=18))

    for years_ago in (2, 1):
        base = today.replace(month=1, day=1) - dt.timedelta(days=365 * years_ago)
        d = report(reporters[1], kje, _aware(base + dt.timedelta(days=40), 9), category="injury",
                   what="Kuttskade i hånd ved oppvask av glassutstyr.", location="Lab 2", injury_class="lost_time",
                   absence_days=3 + years_ago, actual_severity=3, potential_severity=3)  # fmt: skip
        handle_and_close(d, _aware(base + dt.timedelta(days=40)), measure="Kuttsikre hansker ved oppvask")
        d = report(reporters[2], kje, _aware(base + dt.timedelta(days=95), 13), category="near_miss",
                   what="Flaske med syre veltet i avtrekksskap; ingen personskade.", location="Lab 1",
                   potential_severity=3)  # fmt: skip
        handle_and_close(d, _aware(base + dt.timedelta(days=95)))
        d = report(reporters[3], kje, _aware(base + dt.timedelta(days=150), 11), category="injury",
                   what="Fikk kjemikalie sprutet på armen; skylt og behandlet av lege.", location="Lab 3",
                   injury_class="medical_treatment", actual_severity=2, potential_severity=4)  # fmt: skip
        handle_and_close(d, _aware(base + dt.timedelta(days=150)), measure="Krav om labfrakk med lange ermer")
        d = report(lab_staff[0] if lab_staff else leader, lab, _aware(base + dt.timedelta(days=200), 15), category="injury",
                   what="Brannskade på finger fra varmeplate.", location="Lab 1", injury_class="first_aid",
                   actual_severity=1, potential_severity=2)  # fmt: skip
        handle_and_close(d, _aware(base + dt.timedelta(days=200)))
        d = report(reporters[0], kje, _aware(base + dt.timedelta(days=250), 10), category="injury",
                   what="Entreprenør falt fra gardintrapp under montering; forstuet fot.", location="Verkstedhallen",
                   involved_party="contractor", injury_class="lost_time", absence_days=7, actual_severity=3,
                   potential_severity=4)  # fmt: skip
        handle_and_close(d, _aware(base + dt.timedelta(days=250)), measure="Krav om godkjent stige i kontrakter")
        d = report(reporters[5], kje, _aware(base + dt.timedelta(days=300), 8), category="environment",
                   what="Søl av organisk løsemiddel i avløp.", location="Lab 2", actual_severity=2)  # fmt: skip
        handle_and_close(d, _aware(base + dt.timedelta(days=300)), measure="Ny spillbakke og merking av avfallskanner")

    # The high-potential near miss last year, with a shared learning report.
    when = _aware(today - dt.timedelta(days=200), 14)
    hri = report(staff[1], kje, when, category="near_miss", what="Gassflaske med hydrogen falt nesten over da en "
                 "tralle traff den; ventilen var ikke beskyttet.", location="Gasslager kjeller", potential_severity=5,
                 high_potential=True, immediate_measures="Flasken sikret og området sperret.")  # fmt: skip
    services.deviation_start_review(actor=handler, deviation=hri, deadline=today + dt.timedelta(days=10))
    services.deviation_update(actor=handler, deviation=hri, cause_analysis="Flasker ble stående løse under bytte; trangt gasslager.")
    services.deviation_add_measure(actor=handler, deviation=hri, title="Faste stativ og ventilhetter på alle gassflasker",
                                   owner=leader, due_date=today + dt.timedelta(days=5), cost_estimate=Decimal(22000))  # fmt: skip
    for a in hri.actions.all():
        services.action_complete(actor=leader, action=a, note="Stativ montert, ventilhetter kjøpt inn.")
        services.action_verify(actor=vo, action=a)
    services.deviation_plan_measures(actor=handler, deviation=hri)
    report_ = services.learning_report_save(
        actor=handler, deviation=hri, title="Gassflaske som nesten veltet",
        summary="En tralle traff en løs gassflaske med hydrogen under flaskebytte. Flasken vaklet, men falt ikke.",
        potential="Knust ventil kunne gitt brann eller eksplosjon og alvorlig personskade.",
        causes="Flasker sto løse mens de ble byttet, og lageret er trangt.",
        measures="Faste stativ, ventilhetter og rutine for flaskebytte med to personer.",
        learning_points="Sikre gassflasker også midlertidig. Ventilhette på før flytting.",
    )  # fmt: skip
    services.learning_report_share(actor=dean, report=report_)
    services.deviation_close(actor=handler, deviation=hri, closing_comment="Stativene hindrer at flasker står løse.",
                             lessons_learned="Midlertidig sikring er like viktig som fast.")  # fmt: skip
    Deviation.objects.filter(pk=hri.pk).update(closed_at=when + dt.timedelta(days=25), deadline=(when + dt.timedelta(days=30)).date())
    LearningReport.objects.filter(pk=report_.pk).update(written_at=when + dt.timedelta(days=20),
                                                        shared_at=when + dt.timedelta(days=26))  # fmt: skip

    # This year: open cases in different states, one reported without a name.
    d = report(staff[2], kje, _aware(today - dt.timedelta(days=20), 9), category="injury",
               what="Klemskade i døren til kjølerommet.", location="Kjølerom", injury_class="lost_time",
               absence_days=2, actual_severity=2, potential_severity=3)  # fmt: skip
    services.deviation_start_review(actor=handler, deviation=d, deadline=today + dt.timedelta(days=10))
    d = report(staff[3], kje, _aware(today - dt.timedelta(days=9), 16), category="material",
               what="Defekt strømkabel på sentrifuge.", location="Lab 3", immediate_measures="Sentrifugen merket og tatt ut av bruk.")  # fmt: skip
    services.deviation_start_review(actor=handler, deviation=d, deadline=today + dt.timedelta(days=14))
    services.deviation_update(actor=handler, deviation=d, cause_analysis="Slitasje; ikke med i periodisk kontroll.")
    services.deviation_add_measure(actor=handler, deviation=d, title="Ta sentrifuger med i periodisk el-kontroll",
                                   owner=staff[3], due_date=today + dt.timedelta(days=25))  # fmt: skip
    services.deviation_plan_measures(actor=handler, deviation=d)
    report(staff[4], kje, _aware(today - dt.timedelta(days=2), 11), category="routine_breach",
           what="Arbeid alene i lab etter kl. 18 uten avtale.", location="Lab 1")  # fmt: skip
    services.deviation_report(actor=employee, unit=kje, occurred_at=_aware(today - dt.timedelta(days=6), 12),
                              category="psychosocial", what="Gjentatte nedsettende kommentarer i lunsjen.",
                              location="Pauserommet", anonymous=True)  # fmt: skip
    devs += 1
    return {
        "actions": ActionItem.objects.count(),
        "deviations": devs,
        "rounds": rounds,
        "risk_assessments": RiskAssessment.objects.count(),
        "cycle_items": len(cycle_items),
    }
