#!/usr/bin/env node
// Read the text properties of every VEVENT with ical.js (Thunderbird's parser).
//
//   node icaljs_texts.mjs [FILE]     FILE default: stdin
//
// Prints JSON {"errors": [...], "events": [{"uid", "recurrence_id", "properties",
// "summary", "location", "description", "status", "transp"}]}: per VEVENT the names of all its
// properties (to spot injected ones), the unescaped SUMMARY/LOCATION/DESCRIPTION values and
// STATUS/TRANSP (null when absent).
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const errors = [];
const events = [];
try {
  const text = readFileSync(process.argv[2] ?? 0, "utf8");
  const root = new ICAL.Component(ICAL.parse(text));
  if (root.name !== "vcalendar") errors.push(`top-level component is ${root.name}`);
  for (const vevent of root.getAllSubcomponents("vevent")) {
    const rid = vevent.getFirstProperty("recurrence-id");
    events.push({
      uid: vevent.getFirstPropertyValue("uid"),
      recurrence_id: rid ? rid.getFirstValue().toString() : null,
      properties: vevent.getAllProperties().map((p) => p.name.toUpperCase()),
      summary: vevent.getFirstPropertyValue("summary"),
      location: vevent.getFirstPropertyValue("location"),
      description: vevent.getFirstPropertyValue("description"),
      status: vevent.getFirstPropertyValue("status"),
      transp: vevent.getFirstPropertyValue("transp"),
    });
  }
} catch (error) {
  errors.push(`ical.js: ${error.name}: ${error.message}`);
}
process.stdout.write(JSON.stringify({ errors, events }) + "\n");
