"""Demo questionnaires, campaigns and answers for Nordhavn universitet (`manage.py load_demo`).

Runs after core's organisation and before the workflows demo. Idempotent (a marker audit
event). Everything is written through the services, as the people in the demo would, with
answers made by running the questionnaire engine (a Session, page by page) and checked for
blocking errors; timestamps are then moved back to when things happened (demo only), and no
email is sent.

* the six built-in questionnaires and the ARK fact sheet;
* **HMS-årsrapport** (joint): three past years submitted and signed by each unit's leader and
  verneombud (varied answers; weak answers become actions in the action plan, most of them
  since carried out), and this year's report open now: some units not started, some in draft,
  one signed by the leader only, a few submitted, and Institutt for kjemi half-way, so that
  `leder.kjemi` and `vo.kjemi` can finish and sign it;
* **HMS-barometer** (anonymous): three past years and one open now (about 40 % answered,
  so reminders and response rates have something to show; `ansatt.kjemi` can answer it from
  the home page); Spesialsamlingene (UB-SAML) has fewer than five employees and is rolled up
  into Universitetsbiblioteket in the results;
* **Arbeidsmiljøundersøkelse** (anonymous, ARK, every second year): two past surveys, with
  free text screened, and the ARK follow-up (fact sheet, feedback meeting, measures) in some
  units - Institutt for kjemi's fact sheet is waiting for its leader and verneombud;
* **Personskadestatistikk** (named): three past years per faculty/division, signed.

The HMS round checklist and the risk assessment are imported here; their demo data belongs
to the workflows demo.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.models import AuditEvent, OrgUnit, Role, User
from core.selectors import unit_role_holders
from core.services import audit_record

from . import engine_api, services
from .anon import services as anon_services
from .anon.retention import apply_retention
from .models import (
    AnonymousComment,
    Campaign,
    Mode,
    Participation,
    Response,
    ResponseSignature,
)

MARKER = "demo.surveys"
QDIR = Path(__file__).resolve().parent / "questionnaires"
BUILTINS = ["hms_annual_report", "hms_barometer", "work_env_survey", "injury_stats", "hms_round", "risk_assessment"]

# How things stand per unit (0 = very good, 1 = many problems), before the yearly improvement.
WEAKNESS = {
    "NT-KJE": 0.35, "NT-KJE-LAB": 0.3, "NT-KJE-VERK": 0.4, "ADM-EIA-RENH": 0.35, "HF-IKM": 0.3,
    "HSL-LER": 0.25, "ADM-IT": 0.1, "UB-FAG": 0.12, "HF-IPS": 0.15,
}  # fmt: skip
# Units where hazardous chemicals are used (annual report question).
CHEMICAL_UNITS = {"NT-KJE", "NT-KJE-LAB", "NT-KJE-VERK", "HF-IMB", "HF-IKM", "NT-GEO", "NT-FYS", "ADM-EIA-DRIFT", "ADM-EIA-RENH"}


def _aware(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@contextlib.contextmanager
def _no_notifications() -> Iterator[None]:
    try:
        from workflows.notifications import muted
    except ImportError:  # pragma: no cover - workflows is part of Verne
        yield
        return
    with muted():
        yield


def load(stdout: Any = None) -> dict[str, int]:
    if AuditEvent.objects.filter(verb=MARKER).exists():
        return {}
    if not User.objects.filter(username="hms.admin").exists():
        return {}
    rng = random.Random(20261122)
    with _no_notifications(), transaction.atomic():
        counts = _Loader(rng, stdout).run()
        root = OrgUnit.objects.filter(parent__isnull=True).first()
        audit_record(actor=None, verb=MARKER, target=root, unit=root, data=counts)  # type: ignore[arg-type]
    return counts


class _Loader:
    def __init__(self, rng: random.Random, stdout: Any) -> None:
        self.rng = rng
        self.stdout = stdout
        self.today = timezone.localdate()
        self.year = self.today.year
        self.admin = User.objects.get(username="hms.admin")
        self.counts: dict[str, int] = {}

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(f"  surveys: {text}")

    def bump(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    # ------------------------------------------------------------------ orchestration
    def run(self) -> dict[str, int]:
        self.versions = {}
        for key in BUILTINS:
            raw = (QDIR / f"{key}.json").read_text(encoding="utf-8")
            self.versions[key] = services.questionnaire_import(actor=None, raw=raw)
        self.versions["ark_fact_sheet"] = anon_services.fact_sheet_version()
        self.counts["questionnaires"] = len(self.versions)
        units = list(OrgUnit.objects.active(self.today).exclude(parent__isnull=True).order_by("path"))
        for offset in (3, 2, 1):
            self.annual_report(self.year - offset, units, past=True)
            self.injury_stats(self.year - offset)
        self.annual_report(self.year, units, past=False)
        root = OrgUnit.objects.get(parent__isnull=True)
        for offset in (3, 2, 1):
            self.anonymous("hms_barometer", self.year - offset, root, past=True)
        for offset in (3, 1):
            self.anonymous("work_env_survey", self.year - offset, root, past=True)
        self.anonymous("hms_barometer", self.year, root, past=False)
        # The retention policy applied as a daily job would have (participations of old
        # surveys deleted, old free text erased).
        report = apply_retention(today=self.today)
        self.counts["retention_runs"] = len(report.campaigns)
        return self.counts

    def weakness(self, unit: OrgUnit, year: int) -> float:
        """0 (all good) .. 1; better every year."""
        base = WEAKNESS.get(unit.code, 0.18 + (sum(map(ord, unit.code)) % 7) / 100)
        return max(0.03, base - 0.05 * (year - (self.year - 3)))

    def report_weakness(self, unit: OrgUnit, year: int) -> float:
        """Per question of the annual report: a weak answer is one follow-up action."""
        return self.weakness(unit, year) * 0.3

    # ------------------------------------------------------------------ joint reports
    def annual_report(self, year: int, units: list[OrgUnit], *, past: bool) -> None:
        version = self.versions["hms_annual_report"]
        if past:
            opens, closes = dt.date(year, 1, 15), dt.date(year, 2, 28)
        else:
            opens, closes = self.today - dt.timedelta(days=14), self.today + dt.timedelta(days=30)
        campaign = services.campaign_create(
            actor=self.admin, version=version, title=f"HMS-årsrapport {year}", year=year, mode=Mode.JOINT,
            opens_on=opens, closes_on=closes, units=units,
        )  # fmt: skip
        campaign = services.campaign_open(actor=self.admin, campaign=campaign)
        responses = list(Response.objects.filter(campaign=campaign).select_related("unit").order_by("unit__path"))
        signed = 0
        for i, response in enumerate(responses):
            unit = response.unit
            if past:
                day = opens + dt.timedelta(days=self.rng.randint(5, 40))
                self._answer_and_sign(response, self.report_weakness(unit, year), both=True, day=day)
                signed += 1
                continue
            # This year: a realistic spread of progress.
            weakness = self.report_weakness(unit, year)
            if unit.code == "NT-KJE":
                self._answer(response, weakness, pages=4)  # half-way: leder.kjemi and vo.kjemi finish
            elif unit.code == "NT-FYS":
                self._answer_and_sign(response, weakness, both=False, day=self.today - dt.timedelta(days=2))
            elif i % 6 == 1:
                self._answer_and_sign(response, weakness, both=True,
                                      day=self.today - dt.timedelta(days=self.rng.randint(1, 9)))  # fmt: skip
                signed += 1
            elif i % 3 == 0:
                self._answer(response, weakness, pages=self.rng.randint(2, 9))
        if past:
            self._close(campaign, closes)
            self._settle_actions(year)
        self.bump("annual_report_campaigns")
        self.bump("annual_reports_submitted", signed)
        self.say(f"HMS-årsrapport {year}: {len(responses)} units, {signed} submitted")

    def injury_stats(self, year: int) -> None:
        version = self.versions["injury_stats"]
        divisions = list(OrgUnit.objects.active(self.today).filter(kind=OrgUnit.Kind.DIVISION).order_by("path"))
        opens, closes = dt.date(year + 1, 1, 5), dt.date(year + 1, 1, 31)
        # Named, per faculty or division (the "site"), answered and signed by its leader and
        # verneombud: Verne has no submission for personal responses yet, so this is joint.
        campaign = services.campaign_create(
            actor=self.admin, version=version, title=f"Personskadestatistikk {year}", year=year, mode=Mode.JOINT,
            opens_on=opens, closes_on=closes, units=divisions,
        )  # fmt: skip
        campaign = services.campaign_open(actor=self.admin, campaign=campaign)
        for response in Response.objects.filter(campaign=campaign).select_related("unit"):
            headcount = 40 + self.rng.randint(0, 60)
            values = _injury_answers(self.rng, year, headcount)
            day = opens + dt.timedelta(days=self.rng.randint(3, 20))
            self._answer_and_sign(response, 0.0, both=True, day=day, fixed=values)
        self._close(campaign, closes)
        self.bump("injury_stats_campaigns")

    def _session(self, response: Response) -> engine_api.Session:
        return engine_api.session_for_response(response, "nb")

    def _answer(self, response: Response, weakness: float, *, pages: int | None = None,
                fixed: Mapping[str, Any] | None = None) -> Response:  # fmt: skip
        session = self._session(response)
        values = generate(session, self.rng, weakness, unit_code=response.unit.code, pages=pages, fixed=fixed)
        leader = _holder(response.unit, Role.LEADER)
        result = services.response_save_answers(
            actor=leader, response=response, answers=values, base_version=response.lock_version,
            page=session.visible_pages()[0], questions=list(values),
        )  # fmt: skip
        return result.response

    def _answer_and_sign(self, response: Response, weakness: float, *, both: bool, day: dt.date,
                         fixed: Mapping[str, Any] | None = None) -> None:  # fmt: skip
        response = self._answer(response, weakness, fixed=fixed)
        problems = engine_api.completion_problems(response)
        if problems:
            raise RuntimeError(f"demo answers for {response} are incomplete: {[p.text for p in problems][:3]}")
        leader, vo = _holder(response.unit, Role.LEADER), _holder(response.unit, Role.VERNEOMBUD)
        services.response_sign(actor=leader, response=response, capacity="leader")
        if both:
            services.response_sign(actor=vo, response=Response.objects.get(pk=response.pk), capacity="verneombud")
        self._backdate_response(response, day)

    def _backdate_response(self, response: Response, day: dt.date) -> None:
        created = _aware(day - dt.timedelta(days=3), 9)
        signed = _aware(day, 14, self.rng.randint(0, 59))
        Response.objects.filter(pk=response.pk).update(
            created_at=created, updated_at=signed,
            submitted_at=signed if Response.objects.get(pk=response.pk).status == Response.Status.SUBMITTED else None,
        )  # fmt: skip
        ResponseSignature.objects.filter(response=response).update(signed_at=signed)
        Response.history.filter(id=response.pk).update(history_date=signed)
        AuditEvent.objects.filter(target_type="surveys.response", target_id=str(response.pk)).update(at=signed)
        try:
            from workflows.models import ActionItem
        except ImportError:  # pragma: no cover
            return
        shift = signed.date() - self.today
        for action in ActionItem.objects.filter(source_response=response):
            due = action.due_date + shift if action.due_date else None
            ActionItem.objects.filter(pk=action.pk).update(created_at=signed, updated_at=signed, due_date=due,
                                                           year=day.year)  # fmt: skip

    def _settle_actions(self, year: int) -> None:
        """Actions from a past year's reports: most carried out and verified since."""
        try:
            from workflows import services as wf
            from workflows.models import ActionItem
        except ImportError:  # pragma: no cover
            return
        done_share = 0.9 if year < self.year - 1 else 0.55
        for action in ActionItem.objects.filter(year=year, source_kind="response", status="open").select_related("unit", "owner"):
            if self.rng.random() > done_share or action.owner is None:
                continue
            vo = _holder(action.unit, Role.VERNEOMBUD)
            wf.action_start(actor=action.owner, action=action)
            wf.action_complete(actor=action.owner, action=action, note="Gjennomført og gjort kjent i enheten.")
            verified = vo is not None and vo.pk != action.owner_id and self.rng.random() < 0.85
            if verified:
                wf.action_verify(actor=vo, action=action)
            finished = action.due_date - dt.timedelta(days=self.rng.randint(0, 20)) if action.due_date else self.today
            finished = min(finished, self.today - dt.timedelta(days=3))
            values: dict[str, Any] = {"completed_at": _aware(finished, 13), "updated_at": _aware(finished, 13)}
            if verified:
                values["verified_at"] = _aware(finished + dt.timedelta(days=2), 10)
                values["updated_at"] = values["verified_at"]
            ActionItem.objects.filter(pk=action.pk).update(**values)
            self.bump("actions_settled")

    def _close(self, campaign: Campaign, closes: dt.date) -> None:
        services.campaign_close(actor=self.admin, campaign=campaign)
        AuditEvent.objects.filter(verb="campaign.close", target_id=str(campaign.pk)).update(
            at=_aware(closes + dt.timedelta(days=1), 8)
        )

    # ------------------------------------------------------------------ anonymous surveys
    def anonymous(self, key: str, year: int, root: OrgUnit, *, past: bool) -> None:
        version = self.versions[key]
        title = {"hms_barometer": f"HMS-barometer {year}", "work_env_survey": f"Arbeidsmiljøundersøkelse {year}"}[key]
        if past:
            month = 10 if key == "hms_barometer" else 11
            opens, closes = dt.date(year, month, 1), dt.date(year, month, 21)
        else:
            opens, closes = self.today - dt.timedelta(days=7), self.today + dt.timedelta(days=14)
        top = list(OrgUnit.objects.active(opens).filter(parent=root).order_by("path"))
        campaign = services.campaign_create(
            actor=self.admin, version=version, title=title, year=year, mode=Mode.ANONYMOUS,
            opens_on=opens, closes_on=closes, units=top,
        )  # fmt: skip
        campaign = services.campaign_open(actor=self.admin, campaign=campaign)
        anon_services.anonymous_campaign_invite(actor=self.admin, campaign=campaign, send_links=False)
        participations = list(Participation.objects.filter(campaign=campaign).select_related("unit", "person").order_by("unit__path", "person__username"))
        answered = 0
        last_day = min(closes, self.today - dt.timedelta(days=1)) if not past else closes
        for p in participations:
            if p.person.username == "ansatt.kjemi" and not past:
                continue  # the demo login answers it from the home page
            rate = 0.4 if not past else 0.5 + 0.3 * (1 - self.weakness(p.unit, year))
            if self.rng.random() > rate:
                continue
            values = (barometer_answers if key == "hms_barometer" else ark_answers)(self.rng, self.weakness(p.unit, year))
            completed = anon_services.completed_values(version, values)
            day = opens + dt.timedelta(days=self.rng.randint(0, max((last_day - opens).days, 0)))
            anon_services.anonymous_answer_submit(participation_id=p.pk, values=completed, submitted_on=day)
            answered += 1
        if past:
            self._close(campaign, closes)
            campaign.refresh_from_db()
            anon_services.anonymous_campaign_closed(actor=self.admin, campaign=campaign)
            self._screen(campaign)
            if key == "work_env_survey" and year == self.year - 1:
                self._ark_followup(campaign, closes)
        else:
            # Yesterday's response-rate snapshot (the figure the admin sees today).
            anon_services.rate_snapshot_take(campaign=campaign)
        self.bump(f"{key}_campaigns")
        self.bump("anonymous_answers", answered)
        self.say(f"{title}: {len(participations)} invited, {answered} answered")

    def _screen(self, campaign: Campaign) -> None:
        decisions: dict[str, tuple[str, str]] = {}
        for c in AnonymousComment.objects.filter(campaign=campaign).order_by("id"):
            if "Per " in c.text or "Kari " in c.text:
                decisions[str(c.pk)] = ("withheld", "")
            elif "Ole" in c.text:
                decisions[str(c.pk)] = ("released", c.text.replace("Ole", "[navn]"))
            elif self.rng.random() < 0.9:
                decisions[str(c.pk)] = ("released", c.text)
        if decisions:
            anon_services.comments_review(actor=self.admin, campaign=campaign, decisions=decisions)

    def _ark_followup(self, campaign: Campaign, closes: dt.date) -> None:
        """Fact sheets, feedback meetings and measures after the last ARK survey."""
        for code, stage in (("HF-IKM", "done"), ("ADM-IT", "done"), ("HSL-LER", "meeting"), ("NT-KJE", "fact_sheet")):
            unit = OrgUnit.objects.filter(code=code).first()
            if unit is None:
                continue
            leader, vo = _holder(unit, Role.LEADER), _holder(unit, Role.VERNEOMBUD)
            response = anon_services.followup_fact_sheet_start(actor=leader, campaign=campaign, unit=unit)
            if stage == "fact_sheet":
                continue  # leder.kjemi and vo.kjemi fill it in
            session = engine_api.session_for_response(response, "nb")
            values = generate(session, self.rng, 0.1, unit_code=code, fixed={
                "priority_areas": self.rng.sample(["workload", "predictability", "recognition", "climate"], 2),
                "evaluation_date": (closes + dt.timedelta(days=240)).isoformat(),
            })  # fmt: skip
            services.response_save_answers(actor=leader, response=response, answers=values,
                                           base_version=response.lock_version, page="fs_context", questions=list(values))  # fmt: skip
            services.response_sign(actor=leader, response=Response.objects.get(pk=response.pk), capacity="leader")
            services.response_sign(actor=vo, response=Response.objects.get(pk=response.pk), capacity="verneombud")
            meeting = min(closes + dt.timedelta(days=self.rng.randint(40, 70)), self.today - dt.timedelta(days=1))
            anon_services.followup_record_meeting(
                actor=leader, campaign=campaign, unit=unit, held_on=meeting, attendees=self.rng.randint(8, 18),
                summary="Vi gikk gjennom resultatene sammen og valgte to områder å jobbe videre med.",
            )  # fmt: skip
            if stage == "done":
                for title in MEASURES[: self.rng.randint(2, 3)]:
                    anon_services.followup_add_measure(
                        actor=leader, campaign=campaign, unit=unit, title=title, owner_role="leader",
                        due_date=meeting + dt.timedelta(days=self.rng.randint(60, 200)),
                    )  # fmt: skip
                    self.bump("ark_measures")


def _holder(unit: OrgUnit, role: Role) -> User:
    holders = unit_role_holders(unit, role)
    if not holders:
        raise RuntimeError(f"demo: {unit.code} has no {role}")
    return holders[0]


MEASURES = [
    "Faste prioriteringsmøter når arbeidsmengden er stor",
    "Informasjon om endringer på personalmøtet hver måned",
    "Tydeligere rollebeskrivelser i enheten",
    "Rutine for tilbakemelding og anerkjennelse i medarbeidersamtalen",
]


# ============================================================================ answers


def _weighted(rng: random.Random, options: list[tuple[Any, float]]) -> Any:
    total = sum(w for _, w in options)
    x = rng.random() * total
    for value, w in options:
        x -= w
        if x <= 0:
            return value
    return options[-1][0]


# Annual report: (good values, weak values) per question. The first good value is the most common.
ANNUAL_CHOICES: dict[str, tuple[list[Any], list[Any]]] = {
    "answered_jointly": ([True], [False]),
    "hse_goals": (["yes_written", "yes_written", "yes_not_written"], ["yes_not_written", "no"]),
    "last_year_goals_met": (["fully", "partly"], ["not"]),
    "delegation_written": ([True], [False]),
    "delegation_known": ([True], [False]),
    "vo_consulted_on_changes": (["always", "usually"], ["rarely", "sometimes"]),
    "vo_active_driver": ([4, 5, 4], [2, 3]),
    "vo_time_sufficient": ([True], [False]),
    "measures_made_together": (["yes", "partly"], ["no"]),
    "risk_overview_age": (["lt1y", "1to2y"], ["gt2y"]),
    "detailed_ra_practice": (["always", "mostly"], ["seldom"]),
    "leader_in_rounds": ([True], [False]),
    "last_work_env_survey": (["lt2y"], ["gt2y"]),
    "survey_followed_up": (["yes", "partly"], ["no"]),
    "has_action_plan": ([True], [False]),
    "plan_cost_estimates": ([True], [False]),
    "plan_follow_up_owner": ([True], [False]),
    "plan_completion": (["all", "most"], ["few", "half"]),
    "plan_known_to_staff": ([True], [False]),
    "leader_hse_training": (["yes"], ["in_progress", "no"]),
    "vo_training": (["done"], ["partly"]),
    "deputy_vo_training": (["yes"], ["no"]),
    "competence_needs_known": ([True], [False]),
    "newcomer_induction": (["always", "mostly"], ["seldom"]),
    "deviation_routine_known": (["all", "most"], ["few"]),
    "zero_deviations_reason": (["nothing_happened"], ["underreporting"]),
    "handler_trained": ([True], [False]),
    "deviations_closed_on_time": (["all", "most"], ["few", "half"]),
    "learning_from_events": (["always", "sometimes"], ["never"]),
    "injuries_recorded": ([True], [False]),
    "appraisals_done": (["all", "most"], ["some"]),
    "conflict_harassment_routine": ([True], [False]),
    "psychosocial_concerns": ([False], [True]),
    "bht_known": (["yes"], ["partly"]),
    "health_checks_overview": (["yes", "not_relevant"], ["no"]),
    "chemical_register_ok": (["yes"], ["partly"]),
    "chemical_ra_done": ([True], [False]),
    "sick_leave_follow_up": (["always", "mostly", "no_cases"], ["seldom"]),
    "work_related_absence": ([False], [True]),
    "laws_overview": ([True], [False]),
    "last_report_used": (["yes", "partly"], ["no"]),
    "disagreement": ([False], [False, False, True]),
}
ANNUAL_NUMBERS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "safety_reps_count": ((1, 2), (1, 1)),
    "leader_vo_meetings": ((4, 10), (1, 3)),
    "detailed_ra_count": ((1, 6), (0, 1)),
    "hms_rounds_count": ((1, 2), (0, 0)),
    "deviations_reported": ((2, 18), (0, 1)),
}
ANNUAL_CHECKBOXES: dict[str, tuple[list[str], list[str]]] = {
    "participation_arenas": (["staff_meeting_item", "appraisals", "local_wec", "hse_group", "all_hands"], ["none"]),
    "risk_overview_scope": (["physical", "chemical_bio", "ergonomic", "psychosocial", "fire_emergency", "new_staff", "contractors"],
                            ["physical", "fire_emergency"]),
}  # fmt: skip
ANNUAL_TEXTS = {
    "hse_goals_text": ["Ingen skader, alle avvik lukket innen fristen, og alle nyansatte får HMS-opplæring første uke.",
                       "Redusere sykefraværet og gjennomføre vernerunder i alle arealer."],
    "answered_jointly_reason": ["Verneombudet var på kurs; vi gikk gjennom svarene sammen etterpå."],
    "psychosocial_concerns_text": ["Høyt arbeidspress i perioder med mange innleveringer. Tas opp i personalmøtet."],
    "disagreement_text": ["Verneombudet mener oppfølgingen av avvik tar for lang tid; leder mener den er tilstrekkelig."],
    "strengths": ["God kultur for å melde avvik og et aktivt verneombud.", "Godt samarbeid mellom leder og verneombud.",
                  "Rutinene for opplæring av nyansatte fungerer godt."],
    "improvement_areas": ["Oppfølging av tiltak i handlingsplanen.", "Vernerunder i alle arealer, også verkstedet.",
                          "Bedre informasjon om bedriftshelsetjenesten."],
}  # fmt: skip


def generate(session: engine_api.Session, rng: random.Random, weakness: float, *, unit_code: str = "",
             pages: int | None = None, fixed: Mapping[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    """Answers for a joint questionnaire, page by page as a respondent gives them, checked with
    the engine (no blocking errors). `pages` stops after that many pages (a draft)."""
    fixed = dict(fixed or {})
    done = 0
    for page in list(session.visible_pages()):
        if page not in session.visible_pages():
            continue
        if pages is not None and done >= pages:
            break
        for _ in range(3):  # answers can reveal more questions on the same page
            changed = False
            for q in session.page(page).questions(visible_only=True):
                if not q.has_input or not q.enabled or (q.name in session.values and q.name not in fixed):
                    continue
                value = fixed.get(q.name, _value_for(q, rng, weakness, unit_code))
                if value is None:
                    continue
                session.run.answer(q.name, value)
                session._page_cache = {}
                changed = True
            if not changed:
                break
        errors = [e for e in session.run.validate_page(page) if e.blocking]
        if errors:
            raise RuntimeError(f"demo answers on {page}: {[(e.key, e.text) for e in errors]}")
        done += 1
    return session.values


def _value_for(q: Any, rng: random.Random, weakness: float, unit_code: str) -> Any:
    weak = rng.random() < weakness
    name = q.name
    if name == "uses_hazardous_chemicals":
        return unit_code in CHEMICAL_UNITS
    if name in ANNUAL_CHOICES:
        good, bad = ANNUAL_CHOICES[name]
        return rng.choice(bad if weak else good)
    if name in ANNUAL_NUMBERS:
        lo, hi = ANNUAL_NUMBERS[name][1 if weak else 0]
        return rng.randint(lo, hi)
    if name in ANNUAL_CHECKBOXES:
        good, bad = ANNUAL_CHECKBOXES[name]
        return bad if weak else rng.sample(good, rng.randint(max(2, len(good) - 3), len(good)))
    if name in ANNUAL_TEXTS:
        if q.required or rng.random() < 0.5:
            return rng.choice(ANNUAL_TEXTS[name])
        return None
    if q.type == "boolean":
        return not weak
    if q.type in ("radiogroup", "dropdown") and q.choices:
        choices = [c.value for c in q.choices if c.visible]
        return choices[0] if not weak else rng.choice(choices)
    if q.type == "rating" and q.choices:
        values = [c.value for c in q.choices]
        return rng.choice(values[-2:] if not weak else values[: len(values) // 2 + 1])
    if q.type == "checkbox" and q.choices:
        choices = [c.value for c in q.choices if c.visible]
        return rng.sample(choices, min(len(choices), rng.randint(1, 2)))
    if q.type == "comment":
        return "Ingen merknader." if q.required else None
    if q.type == "text" and q.input_type == "number":
        return rng.randint(0, 5) if q.required else None
    if q.type == "text" and q.input_type == "date":
        return None
    if q.type == "text":
        return "–" if q.required else None
    return None


def _injury_answers(rng: random.Random, year: int, headcount: int) -> dict[str, Any]:
    hours = headcount * rng.randint(1500, 1650)
    lti = rng.choice([0, 0, 1, 1, 2])
    mti = rng.choice([0, 1, 1, 2, 3])
    first_aid = rng.randint(1, 6)
    c_lti = rng.choice([0, 0, 1])
    return {
        "period_start": f"{year}-01-01", "period_end": f"{year}-12-31",
        "own_hours_worked": hours, "own_headcount_year_end": headcount, "own_fatalities": 0, "own_lti": lti,
        "own_mti": mti, "own_first_aid": first_aid, "own_hri_line7": min(rng.randint(0, 2), lti + mti + first_aid),
        "own_hri_nearmiss_line8": rng.randint(0, 4), "own_days_lost": lti * rng.randint(3, 25),
        "own_sick_leave_pct": round(rng.uniform(3.0, 7.5), 1), "own_sick_leave_self_certified": True,
        "has_contractors": True, "contractor_hours_worked": rng.randint(2000, 12000), "contractor_fatalities": 0,
        "contractor_lti": c_lti, "contractor_mti": rng.choice([0, 0, 1]), "contractor_first_aid": rng.randint(0, 3),
        "contractor_hri_line7": 0, "contractor_hri_nearmiss_line8": rng.randint(0, 2),
        "contractor_days_lost": c_lti * rng.randint(2, 10),
    }  # fmt: skip


def _scale(rng: random.Random, centre: float, lo: int = 1, hi: int = 5) -> int:
    return max(lo, min(hi, round(rng.gauss(centre, 0.9))))


BAROMETER_IMPROVE = [
    "Raskere tilbakemelding når vi melder avvik.", "Mer tid til HMS på personalmøtene.",
    "Avvikssystemet er tungvint å bruke på mobil.", "Tydeligere hvem som har ansvar for verneutstyret.",
    "Ventilasjonen på laboratoriet bør sjekkes oftere.", "Flere øvelser på brann og evakuering.",
    "Bedre opplæring av nyansatte i rutinene våre.", "Per sier aldri ifra når noe er feil på verkstedet.",
    "Ole har klaget på støyen i månedsvis uten at noe skjer.",
]  # fmt: skip
BAROMETER_WORKS = [
    "Verneombudet er lett å snakke med og følger opp.", "God kultur for å si fra når noe er galt.",
    "Vernerundene blir tatt på alvor.", "Kollegene hjelper hverandre.",
]
ARK_GOOD = ["Godt samhold og mye humor i gruppa.", "Fleksibel arbeidstid.", "Nærmeste leder er tilgjengelig.",
            "Spennende oppgaver og gode kolleger."]  # fmt: skip
ARK_IMPROVE = ["For mange avbrytelser i løpet av dagen.", "Vi får for sent vite om endringer.",
               "Ujevn fordeling av arbeidsoppgaver.", "Kari tar alltid de beste oppgavene selv.",
               "Mer anerkjennelse fra ledelsen."]  # fmt: skip


def barometer_answers(rng: random.Random, weakness: float) -> dict[str, Any]:
    q = 1 - 2 * weakness  # roughly 0.3 (poor) .. 0.9 (good)
    a: dict[str, Any] = {
        "b_role": _weighted(rng, [("employee", 80), ("leader", 8), ("sr_or_wec", 7), ("no_answer", 5)]),
        "b_vo_trained": _weighted(rng, [("yes", 45 + 25 * q), ("partly", 12), ("no", 10 - 5 * q), ("dont_know", 25)]),
        "b_wec_trained": _weighted(rng, [("yes", 30 + 10 * q), ("partly", 8), ("no", 5), ("dont_know", 50), ("no_wec", 3)]),
        "b_own_training": _scale(rng, 3.2 + 1.0 * q),
        "b_knows_vo": rng.random() < 0.6 + 0.3 * q,
        "b_routines_exist": _weighted(rng, [("yes", 45 + 20 * q), ("some", 20), ("no", 6 - 3 * q), ("no_risky_tasks", 15), ("dont_know", 6)]),
        "b_routines_followed": _weighted(rng, [("never", 1), ("rarely", 4 - 2 * q), ("sometimes", 15 - 8 * q), ("often", 30),
                                               ("almost_always", 25 + 10 * q), ("always", 12 + 8 * q), ("dont_know", 8)]),
        "b_deviation_habit": _weighted(rng, [("always", 25 + 20 * q), ("often", 30), ("sometimes", 20 - 8 * q), ("rarely", 10 - 5 * q),
                                             ("never", 2), ("dont_know", 10)]),
        "b_deviation_culture": {
            "b_safe_to_report": _weighted(rng, [(_scale(rng, 3.4 + 1.0 * q), 92), ("dont_know", 8)]),
            "b_feedback_given": _weighted(rng, [(_scale(rng, 2.9 + 1.0 * q), 85), ("dont_know", 15)]),
            "b_deviations_fixed": _weighted(rng, [(_scale(rng, 3.0 + 1.0 * q), 85), ("dont_know", 15)]),
        },
        "b_staff_participate": _scale(rng, 3.0 + 1.0 * q),
        "b_management_priority": _scale(rng, 2.9 + 1.1 * q),
        "b_vo_quality": _weighted(rng, [("very_poor", 1), ("poor", 4 - 2 * q), ("neither", 15), ("good", 35 + 10 * q),
                                        ("very_good", 15 + 10 * q), ("dont_know", 25)]),
        "b_wec_quality": _weighted(rng, [("very_poor", 1), ("poor", 3), ("neither", 15), ("good", 25), ("very_good", 8),
                                         ("dont_know", 45), ("no_wec", 3)]),
        "b_overall_quality": _weighted(rng, [("very_poor", 1), ("poor", 6 - 4 * q), ("neither", 25 - 8 * q), ("good", 45 + 8 * q),
                                             ("very_good", 12 + 10 * q)]),
    }  # fmt: skip
    if a["b_routines_followed"] in ("never", "rarely", "sometimes"):
        a["b_routines_barriers"] = rng.sample(["time_pressure", "impractical", "unknown_routine", "missing_equipment", "culture"],
                                              rng.randint(1, 3))  # fmt: skip
    if a["b_deviation_habit"] in ("sometimes", "rarely", "never"):
        a["b_deviation_barriers"] = rng.sample(["cumbersome", "dont_know_how", "fear", "no_feedback", "not_important", "takes_time"],
                                               rng.randint(1, 3))  # fmt: skip
    if rng.random() < 0.16:
        a["b_improve"] = rng.choice(BAROMETER_IMPROVE)
    if rng.random() < 0.1:
        a["b_works_well"] = rng.choice(BAROMETER_WORKS)
    return a


ARK_ITEMS = {
    # matrix -> rows; an item's prefix is its dimension
    "workload_pace_extent": ["wl_1", "pace_3"],
    "workload_pace_frequency": ["wl_2", "wl_3", "pace_1", "pace_2"],
    "roles_control_extent": ["rc_1", "rc_2", "rc_3", "ctl_1", "ctl_2", "ctl_3"],
    "roles_control_frequency": ["rk_1", "rk_2", "rk_3"],
    "job_content_extent": ["dev_1", "dev_2", "dev_3", "mean_1", "mean_2", "mean_3"],
    "information_support_extent": ["inf_1", "inf_2", "inf_3", "col_3", "sup_3"],
    "information_support_frequency": ["col_1", "col_2", "sup_1", "sup_2"],
    "leadership_climate_extent": ["lead_1", "lead_2", "lead_3", "rec_1", "rec_3", "clim_1", "clim_2", "clim_3"],
    "leadership_climate_frequency": ["rec_2"],
    "work_life_health_extent": ["wlb_3", "eng_1", "eng_2"],
    "work_life_health_frequency": ["wlb_1", "wlb_2", "eng_3", "str_1", "str_2", "str_3"],
}
DEMANDS = ("wl", "pace", "rk", "wlb", "str")
REVERSED = {"wl_1", "pace_3", "wlb_3"}


def ark_answers(rng: random.Random, weakness: float) -> dict[str, Any]:
    wellbeing = rng.gauss(0.6 - 1.6 * weakness, 0.7)
    answers: dict[str, Any] = {"role_group": _weighted(rng, [("employee", 88), ("leader", 7), ("no_answer", 5)])}
    for matrix, rows in ARK_ITEMS.items():
        values: dict[str, Any] = {}
        for item in rows:
            if rng.random() < 0.03:
                continue  # skipped
            if matrix.endswith("_extent") and rng.random() < 0.03:
                values[item] = "na"
                continue
            demand = item.split("_")[0] in DEMANDS
            centre = 3.3 + (-0.7 if demand else 0.8) * wellbeing
            value = _scale(rng, centre)
            values[item] = 6 - value if item in REVERSED else value
        answers[matrix] = values
    exposure = max(0.02, 0.06 - 0.04 * wellbeing)
    for item in ("exp_bullying", "exp_harassment", "exp_violence", "exp_witnessed"):
        factor = 2 if item == "exp_witnessed" else 1
        answers[item] = _weighted(rng, [("never", 1 - exposure * factor), ("once", exposure * factor * 0.6),
                                        ("few", exposure * factor * 0.3), ("monthly", exposure * factor * 0.1)])  # fmt: skip
    answers["overall_satisfaction"] = _scale(rng, 3.6 + 0.7 * wellbeing)
    if rng.random() < 0.12:
        answers["free_good"] = rng.choice(ARK_GOOD)
    if rng.random() < 0.12:
        answers["free_improve"] = rng.choice(ARK_IMPROVE)
    return answers
