#!/usr/bin/env node
// Loads Verne's six built-in questionnaires (surveys/questionnaires/*.json) in survey-core 3.1.1,
// after registering Verne's extension properties from surveys/engine/js/verne-surveyjs-extensions.js,
// and checks them with realistic answer sets:
//
//   * survey.jsonErrors is empty (no unknown properties, types or missing names);
//   * every valid answer set validates without errors (warnings are reported separately), and the
//     survey can be completed page by page like a respondent would;
//   * every invalid answer set gives exactly the expected errors (by key, with a text fragment);
//   * expression questions and calculated values (H1/H2/F, risk scores and colours, ARK dimension
//     scores) and the verneFollowUps codes that fire are what we expect.
//
// Usage: node tests/surveys/builtin_survey_core_check.mjs        (prints a JSON report on stdout)
// Exit code 0 = every check passed, 1 = a check failed (see "failures"), 2 = setup problem.
// tests/surveys/test_builtin_questionnaires.py runs it and re-asserts the key computed values.

process.env.TZ = "UTC";

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..", "..");
const QDIR = path.join(ROOT, "surveys", "questionnaires");
const EXTENSIONS = path.join(ROOT, "surveys", "engine", "js", "verne-surveyjs-extensions.js");
const SURVEY_CORE = path.join(ROOT, "node_modules", "survey-core", "fesm", "survey-core.mjs");

function die(message) {
  process.stdout.write(JSON.stringify({ setupError: message }) + "\n");
  process.exit(2);
}

if (!fs.existsSync(SURVEY_CORE)) die(`survey-core is not installed (${SURVEY_CORE})`);
if (!fs.existsSync(EXTENSIONS)) die(`Verne's SurveyJS extensions are missing (${EXTENSIONS})`);

const SC = await import(pathToFileURL(SURVEY_CORE).href);
const { Model, Serializer, settings, surveyLocalization } = SC;
const require = createRequire(import.meta.url);
require(EXTENSIONS).registerVerneProperties(Serializer);

// Verne writes localisable texts as {"default": <bokmål>, "nb", "nn"?, "en"}. survey-core reads
// "default" as the text of its default locale, which is "en" out of the box; so Verne (server and
// browser) must declare bokmål as the default locale, or English users would see bokmål.
surveyLocalization.defaultLocale = "nb";

// Pin "now" so today()-based defaults are deterministic.
const NOW = new Date("2025-01-15T12:00:00Z");
const originalOnDateCreated = settings.onDateCreated;
settings.onDateCreated = (newDate, reason, val) =>
  val === undefined || val === null || val === "" ? new Date(NOW) : originalOnDateCreated(newDate, reason, val);

// ---------------------------------------------------------------------------------------------
// Sample answer sets. `errors` lists the expected error keys (exactly) with a fragment of the
// English text (the survey runs in locale "en"); `warnings` the same for warning-level
// validators; `values` expected expression/calculated values (undefined = not computed);
// `followUps` the exact set of follow-up codes that fire.
// ---------------------------------------------------------------------------------------------

const ANNUAL_GOOD = {
  unit_name: "Institutt for kjemi", report_year: 2024, employees_count: 42, safety_reps_count: 2,
  answered_jointly: true, hse_goals: "yes_written", hse_goals_text: "Null fraværsskader; alle nyansatte får HMS-introduksjon.",
  last_year_goals_met: "fully", delegation_written: true, delegation_known: true,
  leader_vo_meetings: 6, participation_arenas: ["staff_meeting_item", "local_wec", "appraisals"],
  vo_consulted_on_changes: "usually", vo_active_driver: 4, vo_time_sufficient: true, measures_made_together: "yes",
  risk_overview_age: "lt1y",
  risk_overview_scope: ["physical", "chemical_bio", "ergonomic", "psychosocial", "fire_emergency", "new_staff", "contractors"],
  detailed_ra_practice: "always", detailed_ra_count: 7, hms_rounds_count: 2, leader_in_rounds: true,
  last_work_env_survey: "lt2y", survey_followed_up: "yes",
  has_action_plan: true, plan_cost_estimates: true, plan_follow_up_owner: true, plan_completion: "most", plan_known_to_staff: true,
  leader_hse_training: "yes", vo_training: "done", deputy_vo_training: "yes", competence_needs_known: true,
  newcomer_induction: "always", deviation_routine_known: "most", deviations_reported: 14, handler_trained: true,
  deviations_closed_on_time: "most", learning_from_events: "always", injuries_recorded: true,
  appraisals_done: "all", conflict_harassment_routine: true, psychosocial_concerns: false,
  bht_known: "yes", health_checks_overview: "yes", uses_hazardous_chemicals: true, chemical_register_ok: "yes",
  chemical_ra_done: true, sick_leave_follow_up: "always", work_related_absence: false, laws_overview: true,
  last_report_used: "yes", disagreement: false, strengths: "Faste møter og god avviksmelding.",
  improvement_areas: "Ergonomi på kontorplassene.",
};

// A weak unit. It also carries stale answers to hidden follow-up questions (as a browser keeps
// them until completion), which must NOT fire rules: delegation_known, plan_* and chemical_*.
const ANNUAL_WEAK = {
  ...ANNUAL_GOOD,
  safety_reps_count: 0, employees_count: 12, hse_goals: "no", last_year_goals_met: "not",
  delegation_written: false, delegation_known: false, leader_vo_meetings: 2,
  participation_arenas: ["none"], vo_consulted_on_changes: "rarely", vo_active_driver: 2,
  risk_overview_age: "gt2y", risk_overview_scope: ["physical", "ergonomic"],
  hms_rounds_count: 0, leader_in_rounds: false,
  has_action_plan: false, plan_cost_estimates: false, plan_completion: "none",
  vo_training: "partly", deputy_vo_training: "no_deputy",
  deviations_reported: 0, zero_deviations_reason: "underreporting", deviations_closed_on_time: "few",
  psychosocial_concerns: true, psychosocial_concerns_text: "Høyt arbeidspress i eksamensperioden.",
  uses_hazardous_chemicals: false, chemical_register_ok: "no", chemical_ra_done: false,
  last_report_used: "no",
};
delete ANNUAL_WEAK.hse_goals_text;

const ANNUAL_WEAK_CODES = [
  "elect_safety_rep", "hse_goals_missing", "delegation_overview", "leader_vo_meetings_min4", "hse_standing_item",
  "vo_early_involvement", "vo_role_clarify", "risk_overview_update", "risk_include_psychosocial",
  "risk_new_staff_contractors", "hms_round_plan", "action_plan_create", "vo_basic_training", "deputy_vo_elect",
  "deviation_reporting_easier", "psychosocial_follow_up", "report_findings_to_plan",
];

const BAROMETER_FULL = {
  b_role: "employee", b_vo_trained: "yes", b_wec_trained: "dont_know", b_own_training: 4, b_knows_vo: true,
  b_routines_exist: "some", b_routines_followed: "sometimes", b_routines_barriers: ["time_pressure", "impractical"],
  b_deviation_habit: "rarely", b_deviation_barriers: ["cumbersome", "no_feedback", "takes_time"],
  b_deviation_culture: { b_safe_to_report: 4, b_feedback_given: 2, b_deviations_fixed: "dont_know" },
  b_staff_participate: 3, b_management_priority: 2, b_vo_quality: "good", b_wec_quality: "no_wec",
  b_overall_quality: "neither", b_improve: "Raskere tilbakemelding på avvik.", b_works_well: "Godt samhold.",
};

const ARK_FULL = {
  role_group: "employee",
  // workload: wl_1 (rev) = 2 -> 4, wl_2 = 4, wl_3 = 3 -> mean 11/3; pace: 5, 4, pace_3 (rev) = 4 -> 2 -> mean 11/3
  workload_pace_extent: { wl_1: 2, pace_3: 4 },
  workload_pace_frequency: { wl_2: 4, wl_3: 3, pace_1: 5, pace_2: 4 },
  // role clarity 5,4,4; control: ctl_3 "na" -> mean of 4 and 2 = 3; role conflict 2,1,3
  roles_control_extent: { rc_1: 5, rc_2: 4, rc_3: 4, ctl_1: 4, ctl_2: 2, ctl_3: "na" },
  roles_control_frequency: { rk_1: 2, rk_2: 1, rk_3: 3 },
  // development only dev_1 answered -> fewer than 2 items -> no score
  job_content_extent: { dev_1: 5, mean_1: 5, mean_2: 4, mean_3: 3 },
  information_support_extent: { inf_1: 2, inf_2: 3, inf_3: 2, col_3: 5, sup_3: 4 },
  information_support_frequency: { col_1: 4, col_2: 5, sup_1: 3, sup_2: 3 },
  leadership_climate_extent: { lead_1: 4, lead_2: 3, lead_3: 3, rec_1: 2, rec_3: 5, clim_1: 4, clim_2: 3, clim_3: 5 },
  leadership_climate_frequency: { rec_2: 2 },
  // work-life: wlb_3 (rev) 5 -> 1, wlb_1 2, wlb_2 3 -> 2
  work_life_health_extent: { wlb_3: 5, eng_1: 4, eng_2: 4 },
  work_life_health_frequency: { wlb_1: 2, wlb_2: 3, eng_3: 4, str_1: 3, str_2: 2, str_3: 1 },
  exp_bullying: "never", exp_harassment: "never", exp_violence: "once", exp_witnessed: "few",
  overall_satisfaction: 4, free_good: "Gode kolleger.", free_improve: "Færre avbrytelser.",
};

const INJURY_BASE = {
  entity_name: "Verne Industri AS, Raufoss", report_year: 2024, period_start: "2024-01-01", period_end: "2024-12-31",
  own_hours_worked: 250000, own_headcount_year_end: 160, own_fatalities: 0, own_lti: 3, own_mti: 2, own_first_aid: 5,
  own_hri_line7: 1, own_hri_nearmiss_line8: 2, own_days_lost: 40, own_sick_leave_pct: 5.2,
  own_sick_leave_self_certified: true,
  has_contractors: true, contractor_hours_worked: 50000, contractor_fatalities: 0, contractor_lti: 1, contractor_mti: 0,
  contractor_first_aid: 1, contractor_hri_line7: 0, contractor_hri_nearmiss_line8: 1,
  stats_comment: "Tallene er hentet fra avviksmodulen.",
};

// A round in a laboratory with two findings.
const ROUND_OK_ITEMS = [
  "org_roles", "org_routines", "org_induction", "prem_tidy", "prem_cables", "prem_maint", "prem_access", "fire_exits",
  "fire_equipment", "fire_plan", "fire_drill", "fa_kit", "fa_trained", "fa_numbers", "air_temp", "air_quality", "air_vent",
  "ln_light", "ln_noise", "ln_hearing", "erg_workstation", "erg_lifting", "erg_aids", "mach_guards", "mach_checks",
  "mach_training", "chem_register", "chem_storage", "chem_sds_access", "chem_waste", "ppe_available", "ppe_used",
  "ppe_condition", "lab_fumehood", "lab_eyewash", "lab_alone", "lab_gas", "psy_talk", "psy_issues_raised",
  "env_sorting", "env_spills",
];
const ROUND_BASE = {
  round_area: "Bygg K, 2. etasje (laboratorier)", round_type: "lab", round_date: "2025-04-22",
  participants: ["leader", "verneombud", "hms_coordinator", "lab_leader"], leader_planned: true,
  docs_reviewed: ["open_deviations", "risk_overview", "action_plan", "last_round"], previous_measures_done: "some",
  pre_survey_sent: false,
  ...Object.fromEntries(ROUND_OK_ITEMS.map((n) => [n, "ok"])),
  fire_exits: "improve", fire_exits_finding: "Nødutgang i korridor B er delvis sperret av kasser.",
  fire_exits_is_breach: true, fire_exits_prob: 3, fire_exits_cons: 4, fire_exits_measure: "Fjerne kassene og merke sperreområdet",
  fire_exits_measure_owner: "Driftsleder", fire_exits_measure_due: "2025-04-29", fire_exits_needs_ra: false,
  lab_gas: "improve", lab_gas_finding: "To gassflasker står uten kjetting.", lab_gas_is_breach: true, lab_gas_prob: 2,
  lab_gas_cons: 5, lab_gas_measure: "Montere kjetting", lab_gas_needs_ra: true,
  ppe_condition: "na",
  leader_in_summary: true,
  agreed_measures: [
    { am_description: "Fjerne kassene i korridor B", am_owner: "Driftsleder", am_due: "2025-04-29", am_priority: "high" },
    { am_description: "Montere kjetting på gassflasker", am_owner: "Laboratorieleder", am_due: "2025-05-15", am_cost: 3500, am_priority: "high" },
  ],
  new_ra_needed: true, round_notes: "God deltakelse fra de ansatte.",
};

const RA_BASE = {
  ra_title: "Bruk av flytende nitrogen i lab K2-14", ra_unit: "Institutt for kjemi", ra_area: "Lab K2-14",
  ra_date: "2025-03-03", ra_trigger: "new_activity", ra_participants: ["leader", "verneombud", "workers"],
  ra_scope: "Påfylling fra tank til dewar og transport i heis.",
  hazards: [
    {
      hz_activity: "Transport av dewar i heis", hz_event: "Oksygenmangel hvis heisen stopper med person og nitrogen",
      hz_category: "chemical", hz_probability: 4, hz_cons_people: 5, hz_cons_material: "na", hz_cons_environment: 1,
      hz_measures: [
        { m_description: "Forbud mot å følge med dewar i heis; skilt og sperrebånd", m_type: "organisational",
          m_owner: "Laboratorieleder", m_due: "2025-03-10" },
        { m_description: "Oksygenmåler i heisen", m_type: "technical", m_owner: "Driftsleder", m_due: "2025-04-01",
          m_cost_estimate: 18000 },
      ],
      hz_residual_probability: 2, hz_residual_consequence: 3,
    },
    {
      hz_activity: "Påfylling", hz_event: "Kuldebrann på hender", hz_category: "physical", hz_probability: 1,
      hz_cons_people: 2, hz_cons_material: 1, hz_cons_environment: "na",
      hz_residual_probability: 1, hz_residual_consequence: 1,
    },
  ],
  ra_conclusion: "Arbeidet kan gjøres når tiltakene for heistransport er på plass.", ra_next_review: "2027-03-03",
};

const CASES = {
  hms_annual_report: [
    { name: "good_unit", data: ANNUAL_GOOD, errors: {}, followUps: [] },
    { name: "weak_unit", data: ANNUAL_WEAK, errors: {}, followUps: ANNUAL_WEAK_CODES },
    {
      name: "invalid",
      data: { ...ANNUAL_GOOD, leader_vo_meetings: 60, employees_count: -1, answered_jointly: undefined,
              hse_goals: "yes_not_written", last_year_goals_met: undefined },
      errors: { leader_vo_meetings: "greater than 52", employees_count: "less than 0", answered_jointly: "Response required",
                last_year_goals_met: "Response required" },
    },
  ],
  hms_barometer: [
    { name: "full", data: BAROMETER_FULL, errors: {} },
    { name: "empty_is_allowed", data: {}, errors: {} },
    {
      name: "too_many_barriers",
      data: { ...BAROMETER_FULL, b_deviation_barriers: ["cumbersome", "fear", "no_feedback", "takes_time"] },
      errors: { b_deviation_barriers: "up to three reasons" },
    },
  ],
  work_env_survey: [
    {
      name: "full",
      data: ARK_FULL,
      errors: {},
      values: {
        score_workload: 11 / 3, score_pace: 11 / 3, score_role_clarity: 13 / 3, score_control: 3,
        score_role_conflict: 2, score_development: undefined, score_meaning: 4, score_predictability: 7 / 3,
        score_colleague_support: 14 / 3, score_supervisor_support: 10 / 3, score_leadership: 10 / 3,
        score_recognition: 3, score_climate: 4, score_work_life: 2, score_engagement: 4, score_strain: 2,
      },
      visible: { exp_help: true },
    },
    { name: "empty_is_allowed", data: {}, errors: {}, values: { score_workload: undefined }, visible: { exp_help: false } },
  ],
  injury_stats: [
    {
      name: "valid_contractor_days_unknown",
      data: INJURY_BASE,
      errors: {},
      values: { own_h1: 12, own_h2: 20, own_f: 160, contractor_h1: 20, contractor_h2: 20, contractor_f: undefined,
                total_h1: 13.33, total_h2: 20, total_f: undefined, total_hours: 300000, total_lti: 4 },
    },
    {
      name: "valid_with_contractor_days",
      data: { ...INJURY_BASE, contractor_days_lost: 8 },
      errors: {},
      values: { contractor_f: 160, total_f: 160 },
    },
    {
      name: "valid_no_contractors_stale_values",
      // contractor figures left over from an earlier draft must not count once has_contractors is false
      data: { ...INJURY_BASE, has_contractors: false, contractor_days_lost: 8 },
      errors: {},
      values: { contractor_h1: undefined, total_h1: 12, total_h2: 20, total_f: 160, total_hours: 250000 },
    },
    {
      name: "valid_zero_hours_no_injuries",
      data: { ...INJURY_BASE, has_contractors: false, own_hours_worked: 0, own_headcount_year_end: 0, own_lti: 0,
              own_mti: 0, own_first_aid: 0, own_hri_line7: 0, own_days_lost: 0, own_sick_leave_pct: undefined },
      errors: {},
      values: { own_h1: undefined, own_h2: undefined, own_f: undefined, total_h1: undefined },
    },
    {
      name: "warnings_only",
      data: { ...INJURY_BASE, own_headcount_year_end: 40, own_days_lost: 900, own_sick_leave_pct: 17.5 },
      errors: {},
      warnings: { own_hours_worked: "hours per employee is unusual", own_days_lost: "More than 180 days",
                  own_sick_leave_pct: "over 15%" },
    },
    {
      name: "invalid",
      data: { ...INJURY_BASE, own_fatalities: 2, own_lti: 1, own_hri_line7: 9, own_days_lost: 0,
              contractor_hours_worked: 0, period_end: "2023-12-31" },
      errors: {
        own_lti: "cannot be lower than the number of fatalities",
        own_hri_line7: "cannot exceed the sum",
        contractor_hours_worked: "must be greater than 0 when injuries are reported",
        period_end: "must be after the first day",
      },
      warnings: {},
    },
    {
      name: "invalid_days_lost_missing",
      data: { ...INJURY_BASE, own_days_lost: 0 },
      errors: { own_days_lost: "no days lost" },
    },
    {
      name: "valid_days_lost_unknown_ticked",
      data: { ...INJURY_BASE, own_days_lost: 0, own_days_lost_unknown: true },
      errors: {},
    },
  ],
  hms_round: [
    {
      name: "lab_round_two_findings",
      data: ROUND_BASE,
      errors: {},
      values: { fire_exits_risk: 12, lab_gas_risk: 10 },
      followUps: ["fire_exits_improve", "lab_gas_improve", "round_new_risk_assessment"],
      visible: { "page:round_checks_lab": true, "panel:fire_exits_details": true, "panel:org_roles_details": false },
    },
    {
      name: "office_round_hides_lab_page",
      data: { ...ROUND_BASE, round_type: "office", lab_gas: "ok" },
      errors: {},
      followUps: ["fire_exits_improve", "round_new_risk_assessment"],
      visible: { "page:round_checks_lab": false },
    },
    {
      name: "invalid",
      data: { ...ROUND_BASE, leader_planned: false, leader_in_summary: false, erg_aids: "improve", fire_exits_measure: "" },
      errors: {
        leader_planned: "taken part in planning", leader_in_summary: "take part in summing up",
        erg_aids_finding: "Response required", erg_aids_is_breach: "Response required", erg_aids_measure: "Response required",
        fire_exits_measure: "Response required",
      },
    },
  ],
  risk_assessment: [
    {
      name: "two_hazards",
      data: RA_BASE,
      errors: {},
      values: {
        "hazards[0].hz_consequence": 5, "hazards[0].hz_risk": 20, "hazards[0].hz_risk_level": "red",
        "hazards[0].hz_residual_risk": 6, "hazards[0].hz_residual_level": "yellow",
        "hazards[1].hz_risk": 2, "hazards[1].hz_risk_level": "green", "hazards[1].hz_residual_level": "green",
        ra_max_risk: 20, ra_count_red: 1, ra_count_yellow: 0, ra_max_residual_risk: 6, ra_residual_level: "yellow",
      },
      followUps: [],
    },
    {
      name: "residual_red",
      data: { ...RA_BASE, hazards: [{ ...RA_BASE.hazards[0], hz_residual_probability: 3, hz_residual_consequence: 5,
                                      hz_residual_justification: "Arbeidet er nødvendig for driften; ekstra tiltak bestilt." },
                                    RA_BASE.hazards[1]] },
      errors: {},
      values: { ra_max_residual_risk: 15, ra_residual_level: "red" },
      followUps: ["ra_residual_risk_red"],
    },
    {
      name: "invalid",
      data: {
        ...RA_BASE, ra_participants: ["leader", "workers"],
        hazards: [{ ...RA_BASE.hazards[0], hz_measures: [], hz_residual_probability: 5, hz_residual_consequence: 4 },
                  { ...RA_BASE.hazards[1], hz_cons_people: "na", hz_cons_material: "na" }],
      },
      errors: {
        ra_participants: "must take part", "hazards[0].hz_measures": "Response required",
        "hazards[0].hz_residual_justification": "Response required",
        "hazards[1].hz_cons_environment": "at least one of the types",
      },
    },
  ],
};

// `--samples` prints the answer sets (for the Python engine's parity check) and exits.
if (process.argv.includes("--samples")) {
  const samples = {};
  for (const [key, cases] of Object.entries(CASES)) {
    samples[key] = cases.map((c) => ({ name: c.name, data: c.data, valid: Object.keys(c.errors).length === 0 }));
  }
  process.stdout.write(JSON.stringify(samples) + "\n");
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------

function walkJson(node, cb, where = []) {
  if (Array.isArray(node)) {
    node.forEach((x, i) => walkJson(x, cb, where.concat(i)));
  } else if (node && typeof node === "object") {
    cb(node, where);
    for (const [k, v] of Object.entries(node)) walkJson(v, cb, where.concat(k));
  }
}

function followUpRules(json) {
  const rules = [];
  walkJson(json, (obj) => {
    if (Array.isArray(obj.verneFollowUps)) rules.push(...obj.verneFollowUps);
  });
  return rules;
}

function errorItems(errs) {
  return (errs || []).map((e) => ({ type: e.getErrorType(), text: e.getText(), notificationType: e.notificationType || "error" }));
}

// Errors keyed like the reference runner: q, panel:x, page:x, pd[i].q (recursively for nested panels).
function collectErrors(survey) {
  const out = {};
  const add = (key, errs) => {
    const items = errorItems(errs);
    if (items.length) out[key] = (out[key] || []).concat(items);
  };
  const visitQuestion = (q, key) => {
    add(key, q.errors);
    if (q.getType() === "paneldynamic") {
      q.panels.forEach((p, i) => {
        add(`${key}[${i}]`, p.errors);
        for (const iq of p.questions) visitQuestion(iq, `${key}[${i}].${iq.name}`);
      });
    }
  };
  for (const page of survey.visiblePages) {
    add(`page:${page.name}`, page.errors);
    for (const el of page.elements) visitElement(el);
  }
  function visitElement(el) {
    if (el.isPanel) {
      add(`panel:${el.name}`, el.errors);
      for (const child of el.elements) visitElement(child);
    } else {
      visitQuestion(el, el.name);
    }
  }
  return out;
}

function valueAt(survey, key) {
  // "hazards[0].hz_risk" or a top-level name (question or calculated value)
  const m = key.match(/^(\w+)\[(\d+)\]\.(\w+)$/);
  if (m) {
    const arr = survey.getValue(m[1]);
    return Array.isArray(arr) && arr[Number(m[2])] ? arr[Number(m[2])][m[3]] : undefined;
  }
  const q = survey.getQuestionByName(key);
  if (q) return q.value;
  return survey.getVariable(key.toLowerCase()) ?? survey.getValue(key);
}

function visibleAt(survey, key) {
  if (key.startsWith("page:")) return survey.getPageByName(key.slice(5)).isVisible;
  if (key.startsWith("panel:")) {
    const p = survey.getPanelByName(key.slice(6));
    return p.isVisible && (!p.page || p.page.isVisible);
  }
  const q = survey.getQuestionByName(key);
  return q.isVisible && q.isParentVisible && (!q.page || q.page.isVisible);
}

function close(a, b) {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) < 1e-9;
  return a === b;
}

function firedCodes(survey, rules) {
  return rules.filter((r) => survey.runCondition(r.when) === true).map((r) => r.code).sort();
}

function encode(v) {
  return v === undefined ? { $undefined: true } : v;
}

const report = { surveyCoreVersion: settings.version, extensions: path.relative(ROOT, EXTENSIONS), questionnaires: {}, failures: [] };

for (const file of fs.readdirSync(QDIR).filter((f) => f.endsWith(".json")).sort()) {
  const key = file.replace(/\.json$/, "");
  const json = JSON.parse(fs.readFileSync(path.join(QDIR, file), "utf8"));
  const rules = followUpRules(json);
  const probe = new Model(json);
  const qReport = {
    jsonErrors: (probe.jsonErrors || []).map((e) => `${e.type}: ${e.message}`),
    pages: probe.pages.length,
    questions: probe.getAllQuestions(false, false, true).length,
    followUpRules: rules.length,
    verneKey: probe.verneKey,
    verneMode: probe.verneMode,
    cases: {},
  };
  report.questionnaires[key] = qReport;
  const fail = (what) => report.failures.push(`${key}: ${what}`);
  if (qReport.jsonErrors.length) fail(`jsonErrors: ${qReport.jsonErrors.join("; ")}`);
  if (probe.verneKey !== key) fail(`verneKey is ${probe.verneKey}, expected ${key}`);
  const cases = CASES[key];
  if (!cases) {
    fail("no sample answer sets");
    continue;
  }
  for (const c of cases) {
    const survey = new Model(json);
    survey.locale = "en";
    survey.data = JSON.parse(JSON.stringify(c.data));
    for (const page of survey.visiblePages) survey.validatePage(page);
    const all = collectErrors(survey);
    const errors = {};
    const warnings = {};
    for (const [k, list] of Object.entries(all)) {
      for (const e of list) {
        const target = e.notificationType === "error" ? errors : warnings;
        (target[k] = target[k] || []).push(e.text);
      }
    }
    const cr = { errors, warnings, values: {}, visible: {} };
    qReport.cases[c.name] = cr;
    const where = `${key}/${c.name}`;
    const checkKeyed = (got, want, what) => {
      if (want === undefined) return;
      for (const k of Object.keys(got)) if (!(k in want)) fail(`${where}: unexpected ${what} ${k}: ${got[k].join(" | ")}`);
      for (const [k, fragment] of Object.entries(want)) {
        if (!got[k]) fail(`${where}: expected ${what} on ${k} (${fragment}), got none`);
        else if (!got[k].some((t) => t.includes(fragment))) fail(`${where}: ${what} on ${k} is "${got[k].join(" | ")}", expected "${fragment}"`);
      }
    };
    checkKeyed(errors, c.errors, "error");
    checkKeyed(warnings, c.warnings ?? {}, "warning");
    for (const [k, want] of Object.entries(c.values || {})) {
      const got = valueAt(survey, k);
      cr.values[k] = encode(got);
      if (!close(got, want)) fail(`${where}: ${k} = ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    }
    for (const [k, want] of Object.entries(c.visible || {})) {
      const got = visibleAt(survey, k);
      cr.visible[k] = got;
      if (got !== want) fail(`${where}: ${k} visible = ${got}, expected ${want}`);
    }
    cr.followUps = firedCodes(survey, rules);
    if (c.followUps && JSON.stringify(cr.followUps) !== JSON.stringify([...c.followUps].sort())) {
      fail(`${where}: follow-ups fired ${JSON.stringify(cr.followUps)}, expected ${JSON.stringify([...c.followUps].sort())}`);
    }
    // Valid sets: complete the survey page by page like a respondent, then check that the same
    // follow-ups fire on the completed data (hidden answers are cleared on completion).
    if (Object.keys(c.errors).length === 0) {
      let guard = 0;
      while (!survey.isLastPage && guard++ < 100) {
        if (!survey.nextPage()) {
          fail(`${where}: stopped on page ${survey.currentPage.name}: ${JSON.stringify(collectErrors(survey))}`);
          break;
        }
      }
      const completed = survey.completeLastPage();
      cr.completed = survey.state === "completed";
      if (!completed || !cr.completed) fail(`${where}: could not complete (state ${survey.state})`);
      const after = firedCodes(survey, rules);
      if (JSON.stringify(after) !== JSON.stringify(cr.followUps)) {
        fail(`${where}: follow-ups after completion ${JSON.stringify(after)} differ from before ${JSON.stringify(cr.followUps)}`);
      }
    }
  }
}

// A short human-readable summary of what survey-core computed (stderr; stdout is the JSON report).
for (const [key, q] of Object.entries(report.questionnaires)) {
  for (const [name, c] of Object.entries(q.cases)) {
    const values = Object.entries(c.values).map(([k, v]) => `${k}=${v && v.$undefined ? "undefined" : JSON.stringify(v)}`);
    const errs = Object.keys(c.errors);
    process.stderr.write(`${key}/${name}: ${values.join(" ") || "-"}` +
      (errs.length ? ` | errors: ${errs.join(", ")}` : "") +
      (c.followUps && c.followUps.length ? ` | follow-ups: ${c.followUps.join(", ")}` : "") + "\n");
  }
}
process.stderr.write(report.failures.length ? `FAILED: ${report.failures.length} check(s)\n` : "all checks passed\n");

process.stdout.write(JSON.stringify(report, null, 2) + "\n");
process.exit(report.failures.length ? 1 : 0);
