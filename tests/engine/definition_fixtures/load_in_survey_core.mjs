#!/usr/bin/env node
// Loads a questionnaire in survey-core and prints what its JSON loader thinks of it.
//
//   node load_in_survey_core.mjs questionnaire.json [--register | --global] [--classes=text,page,...]
//
// --register calls registerVerneProperties(Serializer) from
// surveys/engine/js/verne-surveyjs-extensions.js first; --global instead loads the script the way
// a browser page does (survey-core's global `Survey` exists, the script registers itself).
// The output (JSON) has
// `jsonErrors` (survey-core's loader complaints), `roundTrip` (toJSON() of the loaded survey),
// `metadata`: the Verne properties survey-core's Serializer knows, per class, and `classes`:
// every property name (and legacy alternative name) of the classes Verne supports.
import fs from "node:fs";
import { createRequire } from "node:module";
import { Model, Serializer, settings } from "survey-core";

const require = createRequire(import.meta.url);
const [file, ...flags] = process.argv.slice(2);
const SCRIPT = "../../../surveys/engine/js/verne-surveyjs-extensions.js";

if (flags.includes("--register")) {
  require(SCRIPT).registerVerneProperties(Serializer);
} else if (flags.includes("--global")) {
  globalThis.Survey = { Serializer };
  require(SCRIPT);
}

const json = JSON.parse(fs.readFileSync(file, "utf8"));
const survey = new Model(json);
const jsonErrors = (survey.jsonErrors || []).map((e) => ({
  type: e.type,
  message: e.message,
  propertyName: e.propertyName ?? null,
  className: e.className ?? null,
}));

function verneProperties(className) {
  return Serializer.getProperties(className)
    .filter((p) => p.name.startsWith("verne"))
    .map((p) => ({
      name: p.name,
      type: p.type,
      className: p.className || null,
      isArray: !!p.isArray,
      choices: Array.isArray(p.choices) ? p.choices : [],
    }));
}

const metadata = {};
for (const cls of ["survey", "page", "panel", "question", "text", "matrixdropdown", "paneldynamic", "html"]) {
  metadata[cls] = verneProperties(cls);
}
const followUpClass = Serializer.findClass("vernefollowup");
metadata.vernefollowup = followUpClass
  ? Serializer.getProperties("vernefollowup")
      .filter((p) => p.visible !== false)
      .map((p) => ({ name: p.name, type: p.type, isRequired: !!p.isRequired, choices: Array.isArray(p.choices) ? p.choices : [] }))
  : null;

const classes = {};
const classList = flags.find((f) => f.startsWith("--classes=")) || "--classes=";
for (const name of classList.slice("--classes=".length).split(",").filter(Boolean)) {
  classes[name] = Serializer.getProperties(name).map((p) => ({
    name: p.name,
    alternativeName: p.alternativeName || null,
  }));
}

process.stdout.write(
  JSON.stringify({ version: settings.version, jsonErrors, roundTrip: survey.toJSON(), metadata, classes }) + "\n",
);
