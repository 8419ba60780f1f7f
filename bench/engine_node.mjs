// survey-core baseline for bench/engine.py.
//
//   node bench/engine_node.mjs <survey.json> <answer-sets.json> [warmup]
//
// For every answer set: new Model(json), survey.data = answers, survey.validate() - what the
// Python side does with load_survey + SurveyRun + set_data + validate. Prints one JSON object:
// {"n", "median_ms", "mean_ms", "p95_ms", "errors"} (errors: the total error count, a sanity
// check that both sides did the same work).
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const candidates = [
  resolve(here, "../node_modules/survey-core/fesm/survey-core.mjs"),
  resolve(here, "../../shared/surveyjs/node_modules/survey-core/fesm/survey-core.mjs"),
];
let SC = null;
for (const path of candidates) {
  try {
    SC = await import(path);
    break;
  } catch {
    // try the next one
  }
}
if (!SC) {
  console.log(JSON.stringify({ error: "survey-core not found" }));
  process.exit(3);
}
const { Model } = SC;

const [surveyPath, answersPath, warmupArg] = process.argv.slice(2);
const json = JSON.parse(readFileSync(surveyPath, "utf8"));
const answerSets = JSON.parse(readFileSync(answersPath, "utf8"));
const warmup = Number(warmupArg || 20);

// survey-core logs warnings to the console; they are not part of the measurement.
console.warn = () => {};
console.error = () => {};

function once(answers) {
  const survey = new Model(json);
  survey.data = JSON.parse(JSON.stringify(answers));
  survey.validate(true, false);
  let count = 0;
  for (const q of survey.getAllQuestions(false, false, true)) count += q.errors.length;
  return count;
}

for (let i = 0; i < warmup; i++) once(answerSets[i % answerSets.length]);
const times = [];
let errors = 0;
for (const answers of answerSets) {
  const t0 = process.hrtime.bigint();
  errors += once(answers);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const mean = times.reduce((a, b) => a + b, 0) / times.length;
const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))];
console.log(JSON.stringify({ n: times.length, median_ms: median, mean_ms: mean, p95_ms: p95, errors }));
