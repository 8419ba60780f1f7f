#!/usr/bin/env node
// Verne's survey-core oracle.
//
// Runs parity cases through the real survey-core (the version installed by the project's
// package.json, /work/main/node_modules/survey-core) with no UI, and prints what the library
// decides. The input and output contract is the one of the shared reference runner
// (../shared/surveyjs/README.md); the Python engine (`python -m surveys.engine`) follows the
// same contract, so the two can be compared key by key. See docs/engine.md.
//
//   node tests/engine/oracle/oracle.mjs case.json        # one case object or an array of them
//   cat batch.json | node tests/engine/oracle/oracle.mjs  # the same, from stdin
//   node tests/engine/oracle/oracle.mjs --version         # prints the survey-core version
//
// Survey mode:   {survey, data?, answers?, actions?, locale?, variables?, now?, tz?, settings?, validate?}
// Function mode: {expression, values?, now?, tz?, settings?}

import { readFileSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import {
  ConditionRunner,
  ConditionsParser,
  ExpressionRunner,
  Model,
  settings as coreSettings,
} from "survey-core";
import "survey-core/i18n"; // every bundled locale; Norwegian is "no" (there is no "nb")

// Every date is read in UTC unless the caller (or a case's `tz`) says otherwise. Node re-reads
// the zone whenever process.env.TZ is assigned, so setting it here is early enough.
const DEFAULT_TZ = process.env.SURVEY_ORACLE_TZ || "UTC";
process.env.TZ = DEFAULT_TZ;

export const SURVEY_CORE_VERSION = coreSettings.version;

// ------------------------------------------------------------------------------------------
// The clock. survey-core makes "now" in createDate(), which always ends in
// settings.onDateCreated(date, reason, val) with an empty `val`; dates made from a value have
// a non-empty `val` and are left alone. In survey mode the model's dateProvider is pinned too.
// ------------------------------------------------------------------------------------------
const clock = { pinned: null };
const libraryOnDateCreated = coreSettings.onDateCreated;
coreSettings.onDateCreated = (date, reason, val) => {
  const noValue = val === undefined || val === null || val === "";
  if (clock.pinned !== null && noValue) return new Date(clock.pinned);
  return libraryOnDateCreated(date, reason, val);
};

// ------------------------------------------------------------------------------------------
// Wire format for values JSON cannot carry.
// ------------------------------------------------------------------------------------------
function wire(value) {
  switch (typeof value) {
    case "undefined":
      return { $undefined: true };
    case "number":
      if (Number.isNaN(value)) return { $number: "NaN" };
      if (value === Infinity) return { $number: "Infinity" };
      if (value === -Infinity) return { $number: "-Infinity" };
      return value === 0 ? 0 : value; // -0 is written as 0
    case "object":
      break;
    default:
      return value;
  }
  if (value === null) return null;
  if (value instanceof Date) {
    const ms = value.getTime();
    return { $date: Number.isNaN(ms) ? "Invalid Date" : value.toISOString() };
  }
  if (Array.isArray(value)) return value.map(wire);
  if (typeof value.getType === "function") {
    // a survey element leaked into a value (e.g. an iif() over {self}); name it, do not walk it
    return { $surveyObject: value.getType(), name: value.name };
  }
  const res = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) res[key] = wire(item); // as JSON.stringify does inside objects
  }
  return res;
}

// survey.data after a JSON round trip: what a browser would post.
function plainData(survey) {
  return wire(JSON.parse(JSON.stringify(survey.data)));
}

function sortedDeep(value) {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (value === null || typeof value !== "object") return value;
  const res = {};
  for (const key of Object.keys(value).sort()) res[key] = sortedDeep(value[key]);
  return res;
}

const clone = (v) => JSON.parse(JSON.stringify(v));

// ------------------------------------------------------------------------------------------
// Console capture: survey-core reports unknown functions and bad expressions on the console.
// ------------------------------------------------------------------------------------------
const CONSOLE_METHODS = ["log", "warn", "error"];

function captureConsole() {
  const lines = [];
  const saved = CONSOLE_METHODS.map((m) => console[m]);
  for (const m of CONSOLE_METHODS) console[m] = (...args) => lines.push(args.map(String).join(" "));
  return () => {
    CONSOLE_METHODS.forEach((m, i) => { console[m] = saved[i]; });
    return lines;
  };
}

// ------------------------------------------------------------------------------------------
// Temporary process-wide settings: {"triggers.executeCompleteOnValueChanged": true}
// ------------------------------------------------------------------------------------------
function overrideSettings(overrides) {
  const restore = [];
  for (const [dotted, value] of Object.entries(overrides || {})) {
    const path = dotted.split(".");
    const key = path.pop();
    const holder = path.reduce((obj, part) => obj[part], coreSettings);
    const previous = holder[key];
    holder[key] = value;
    restore.unshift(() => { holder[key] = previous; });
  }
  return () => restore.forEach((undo) => undo());
}

// ------------------------------------------------------------------------------------------
// Function mode
// ------------------------------------------------------------------------------------------
function evaluateExpression(input) {
  const text = input.expression;
  const values = input.values || {};
  const res = {};
  const parser = new ConditionsParser();
  const operand = parser.parseExpression(text);
  if (operand) {
    try {
      res.parsed = operand.toString();
    } catch (err) {
      // survey-core's toString() fails on a null constant inside an argument list
      res.parsed = `<toString failed: ${err.message}>`;
    }
  } else {
    res.parsed = null;
    res.parseError = parser.error ? { at: parser.error.at, code: parser.error.code } : true;
  }
  const expression = new ExpressionRunner(text);
  res.variables = expression.getVariables();
  res.result = wire(expression.runValues(clone(values)));
  res.condition = new ConditionRunner(text).runValues(clone(values));
  return res;
}

// ------------------------------------------------------------------------------------------
// Survey mode: reading the model
// ------------------------------------------------------------------------------------------
const SELECT_BASED = ["checkbox", "radiogroup", "dropdown", "tagbox", "ranking", "imagepicker", "buttongroup"];
const CELL_MATRICES = ["matrixdropdown", "matrixdynamic"];

// Calls visit(element, page) for every panel and question of a page, depth first, in order.
function eachElement(container, page, visit) {
  for (const element of container.elements) {
    visit(element, page);
    if (element.isPanel) eachElement(element, page, visit);
  }
}

function ancestorsVisible(element) {
  for (let parent = element.parent; parent; parent = parent.parent) {
    if (!parent.isVisible) return false;
  }
  return true;
}

function displayTitle(element) {
  return element.processedTitle === undefined ? element.title : element.processedTitle;
}

// visible / enabled / required names of the questions in a nested container (panel of a
// paneldynamic, editors of a multipletext); only the questions' own visibility counts here.
function nestedState(questions) {
  const res = { visibleQuestions: [], enabledQuestions: [], requiredQuestions: [] };
  for (const q of questions.filter((x) => x.isVisible)) {
    res.visibleQuestions.push(q.name);
    if (!q.isReadOnly) res.enabledQuestions.push(q.name);
    if (q.isRequired) res.requiredQuestions.push(q.name);
  }
  return res;
}

// The key of a matrixdropdown row is its value; a matrixdynamic row is keyed by 0-based index.
function rowKey(matrix, row) {
  return matrix.getType() === "matrixdynamic" ? String(row.rowIndex - 1) : String(row.rowName);
}

function describeMatrix(q) {
  if (q.getType() === "matrix") {
    return {
      visibleRows: q.visibleRows.map((row) => row.name),
      visibleColumns: q.visibleColumns.map((col) => col.value),
    };
  }
  const rows = q.visibleRows || [];
  const cells = {};
  for (const row of rows) {
    const byColumn = {};
    for (const cell of row.cells) {
      const editor = cell.question;
      if (!editor) continue;
      const info = { visible: editor.isVisible, readOnly: editor.isReadOnly, required: editor.isRequired };
      if (editor.getType() === "expression") info.value = wire(editor.value);
      byColumn[cell.column.name] = info;
    }
    cells[rowKey(q, row)] = byColumn;
  }
  return {
    visibleRows: rows.map((row) => (q.getType() === "matrixdynamic" ? row.rowIndex - 1 : row.rowName)),
    visibleColumns: q.visibleColumns.map((col) => col.name),
    cells,
  };
}

function describeChoices(q) {
  const items = q.visibleChoices;
  return {
    visible: wire(items.map((item) => item.value)),
    enabled: wire(items.filter((item) => item.isEnabled).map((item) => item.value)),
    texts: items.map((item) => item.text),
  };
}

// The order of reading matters: building a matrix's rows (visibleRows) settles its cells (numbers
// converted, expression columns written into every row), so survey.data, the state and the current
// page are read last, after every element has been walked.
function takeSnapshot(survey) {
  const snap = {
    visiblePages: survey.visiblePages.map((p) => p.name),
    visibleQuestions: [],
    enabledQuestions: [],
    requiredQuestions: [],
    visiblePanels: [],
    calculatedValues: {},
    expressions: {},
    variables: {},
    questions: {},
    panels: {},
    pages: {},
  };
  const optional = { choices: {}, dynamicPanels: {}, matrices: {}, multipleText: {} };

  for (const page of survey.pages) {
    snap.pages[page.name] = { visible: page.isVisible, readOnly: page.isReadOnly, title: displayTitle(page) };
    eachElement(page, page, (el) => {
      if (el.isPanel) {
        const shown = el.isVisible && el.isParentVisible !== false && page.isVisible && ancestorsVisible(el);
        snap.panels[el.name] = { visible: el.isVisible, shown, readOnly: el.isReadOnly, required: el.isRequired };
        if (shown) snap.visiblePanels.push(el.name);
        return;
      }
      const type = el.getType();
      const shown = el.isVisibleInSurvey && (!el.page || el.page.isVisible);
      snap.questions[el.name] = {
        type,
        visible: el.isVisible,
        shown,
        readOnly: el.isReadOnly,
        required: el.isRequired,
        title: displayTitle(el),
      };
      if (shown) {
        snap.visibleQuestions.push(el.name);
        if (!el.isReadOnly) snap.enabledQuestions.push(el.name);
        if (el.isRequired) snap.requiredQuestions.push(el.name);
      }
      if (SELECT_BASED.includes(type)) optional.choices[el.name] = describeChoices(el);
      else if (type === "rating") optional.choices[el.name] = { visible: wire(el.visibleRateValues.map((r) => r.value)) };
      else if (type === "paneldynamic") optional.dynamicPanels[el.name] = el.panels.map((p) => nestedState(p.questions));
      else if (type === "matrix" || CELL_MATRICES.includes(type)) optional.matrices[el.name] = describeMatrix(el);
      else if (type === "multipletext") optional.multipleText[el.name] = nestedState(el.items.map((it) => it.editor));
    });
  }
  for (const cv of survey.calculatedValues) snap.calculatedValues[cv.name] = wire(cv.value);
  for (const q of survey.getAllQuestions(false, false, false)) {
    if (q.getType() === "expression") snap.expressions[q.name] = wire(q.value);
  }
  for (const name of survey.getVariableNames()) snap.variables[name] = wire(survey.getVariable(name));
  snap.state = survey.state;
  snap.currentPage = survey.currentPage ? survey.currentPage.name : null;
  snap.values = plainData(survey);
  for (const [key, map] of Object.entries(optional)) {
    if (Object.keys(map).length > 0) snap[key] = map;
  }
  if (survey.canBeCompletedByTrigger) snap.canBeCompletedByTrigger = true;
  return snap;
}

// ------------------------------------------------------------------------------------------
// Survey mode: errors
// ------------------------------------------------------------------------------------------
function describeErrors(list) {
  return (list || []).map((err) => {
    const item = { type: err.getErrorType(), text: err.getText() };
    if (err.notificationType && err.notificationType !== "error") item.notificationType = err.notificationType;
    return item;
  });
}

// The errors now attached to the elements of `pages` (by default every visible page), keyed
// page:<name>, panel:<name>, <question>, <pd>[i], <pd>[i].<q>, <matrix>[row].<col>, <mt>.<item>.
function gatherErrors(survey, pages = survey.visiblePages) {
  const found = {};
  const put = (key, list) => {
    const errs = describeErrors(list);
    if (errs.length === 0) return;
    found[key] = key in found ? found[key].concat(errs) : errs;
  };
  for (const page of pages) {
    put(`page:${page.name}`, page.errors);
    eachElement(page, page, (el) => {
      if (el.isPanel) {
        put(`panel:${el.name}`, el.errors);
        return;
      }
      put(el.name, el.errors);
      const type = el.getType();
      if (type === "paneldynamic") {
        el.panels.forEach((panel, i) => {
          put(`${el.name}[${i}]`, panel.errors);
          for (const inner of panel.questions) put(`${el.name}[${i}].${inner.name}`, inner.errors);
        });
      } else if (CELL_MATRICES.includes(type)) {
        for (const row of el.visibleRows || []) {
          for (const cell of row.cells) {
            if (cell.question) put(`${el.name}[${rowKey(el, row)}].${cell.column.name}`, cell.question.errors);
          }
        }
      } else if (type === "multipletext") {
        for (const item of el.items) put(`${el.name}.${item.name}`, item.editor.errors);
      }
    });
  }
  return found;
}

function currentPageErrors(survey) {
  return survey.currentPage ? gatherErrors(survey, [survey.currentPage]) : {};
}

// ------------------------------------------------------------------------------------------
// Survey mode: driving the model
// ------------------------------------------------------------------------------------------

// A respondent's answer goes through the question (conversion, exclusive items, triggers,
// setValueIf/resetValueIf); a name that is no question is written with survey.setValue.
function answerAs(survey, name, value) {
  const question = survey.getQuestionByName(name) || survey.getQuestionByValueName(name);
  if (!question) {
    survey.setValue(name, value);
    return "survey";
  }
  question.value = value;
  return "question";
}

const STEPS = {
  setValue: (s, a, rec) => { rec.via = answerAs(s, a.name, a.value); },
  answer: (s, a, rec) => { rec.via = answerAs(s, a.name, a.value); },
  surveySetValue: (s, a) => { s.setValue(a.name, a.value); },
  setComment: (s, a) => { s.setComment(a.name, a.value); },
  clearValue: (s, a) => { s.clearValue(a.name); },
  setVariable: (s, a) => { s.setVariable(a.name, a.value); },
  mergeData: (s, a) => { s.mergeData(a.data); },
  next: (s, a, rec) => {
    rec.result = s.nextPage();
    rec.pageErrors = currentPageErrors(s);
  },
  prev: (s, a, rec) => { rec.result = s.prevPage(); },
  complete: (s, a, rec) => {
    rec.result = s.tryComplete();
    if (!s.isCompleted) rec.pageErrors = currentPageErrors(s);
  },
  doComplete: (s, a, rec) => {
    s.doComplete();
    rec.result = s.isCompleted;
  },
  goToPage: (s, a, rec) => {
    const target = s.getPageByName(a.name);
    s.currentPage = target;
    rec.result = s.currentPage === target;
  },
  addPanel: (s, a, rec) => {
    const pd = s.getQuestionByName(a.name);
    pd.addPanel();
    rec.result = pd.panelCount;
  },
  addRow: (s, a, rec) => {
    const matrix = s.getQuestionByName(a.name);
    matrix.addRow();
    rec.result = matrix.rowCount;
  },
  validatePage: (s, a, rec) => {
    const page = a.name ? s.getPageByName(a.name) : s.currentPage;
    rec.result = s.validatePage(page) !== false;
    rec.pageErrors = gatherErrors(s, [page]);
  },
  snapshot: () => {},
};

function performStep(survey, step) {
  const handler = Object.prototype.hasOwnProperty.call(STEPS, step.do) ? STEPS[step.do] : null;
  if (!handler) throw new Error(`unknown action: ${step.do}`);
  const rec = { do: step.do };
  handler(survey, step, rec);
  rec.state = survey.state;
  rec.currentPage = survey.currentPage ? survey.currentPage.name : null;
  rec.values = plainData(survey);
  if (step.do === "snapshot") rec.snapshot = takeSnapshot(survey);
  return rec;
}

function runSurvey(input) {
  const survey = new Model();
  if (input.now) {
    const nowMs = new Date(input.now).getTime();
    survey.dateProvider = { now: () => nowMs };
  }
  survey.fromJSON(clone(input.survey));
  const res = {};
  if (survey.jsonErrors && survey.jsonErrors.length > 0) {
    res.jsonErrors = survey.jsonErrors.map((e) => ({ type: e.type, message: e.message }));
  }
  if (input.locale !== undefined) survey.locale = input.locale;
  for (const [name, value] of Object.entries(input.variables || {})) survey.setVariable(name, value);
  if (input.data !== undefined) survey.data = clone(input.data);
  if (input.answers) {
    const pairs = Array.isArray(input.answers) ? input.answers : Object.entries(input.answers);
    for (const [name, value] of pairs) answerAs(survey, name, value);
  }
  if (input.actions) res.actions = input.actions.map((step) => performStep(survey, step));
  Object.assign(res, takeSnapshot(survey));
  if (input.validate === false) return res;

  // Final pass: validate every visible page (== survey.validate(true, false), page by page).
  const dataBefore = JSON.stringify(survey.data);
  res.pageValid = {};
  for (const page of survey.visiblePages) res.pageValid[page.name] = survey.validatePage(page) !== false;
  res.errors = gatherErrors(survey);
  const dataAfter = JSON.stringify(survey.data);
  if (dataAfter !== dataBefore) res.valuesAfterValidation = wire(JSON.parse(dataAfter));
  return res;
}

// ------------------------------------------------------------------------------------------
// One case, a batch
// ------------------------------------------------------------------------------------------
export function evaluateCase(input) {
  const restoreSettings = overrideSettings(input.settings);
  const zoneBefore = process.env.TZ;
  if (input.tz) process.env.TZ = input.tz;
  clock.pinned = input.now ? new Date(input.now).getTime() : null;
  const releaseConsole = captureConsole();
  let res;
  try {
    res = input.expression !== undefined ? evaluateExpression(input) : runSurvey(input);
  } catch (err) {
    const first = err && err.stack ? err.stack.split("\n")[0] : err;
    res = { exception: String(first) };
  } finally {
    const printed = releaseConsole();
    clock.pinned = null;
    if (input.tz) process.env.TZ = zoneBefore;
    restoreSettings();
    if (res && printed.length > 0) res.warnings = printed;
  }
  return sortedDeep(res);
}

export function evaluate(input) {
  return Array.isArray(input) ? input.map(evaluateCase) : evaluateCase(input);
}

// ------------------------------------------------------------------------------------------
// Command line
// ------------------------------------------------------------------------------------------
function isEntryPoint() {
  if (!process.argv[1]) return false;
  return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
}

if (isEntryPoint()) {
  const arg = process.argv[2];
  if (arg === "--version") {
    process.stdout.write(`${SURVEY_CORE_VERSION}\n`);
  } else {
    const input = JSON.parse(readFileSync(arg || 0, "utf8"));
    process.stdout.write(`${JSON.stringify(evaluate(input), null, 2)}\n`);
  }
}
