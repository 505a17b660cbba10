#!/usr/bin/env node
// Parse an .ics with ical.js (Thunderbird's parser) and expand its events in a window.
//
//   node icaljs_expand.mjs FROM TO [FILE]     FROM/TO: YYYY-MM-DD; FILE default: stdin
//
// Prints JSON {"errors": [...], "occurrences": [{"uid", "start", "end"}]} for occurrences
// whose start lies in [FROM, TO): UTC "YYYY-MM-DDTHH:MM:SSZ" for timed events,
// "YYYY-MM-DD" for all-day ones (DTEND exclusive, as written). Overrides are tied to
// their series with ICAL.Event#relateException and resolved by getOccurrenceDetails,
// EXDATEs by the RecurExpansion: the same path Thunderbird's calendar takes.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const MAX_STEPS = 20000;
const [from, to, file] = process.argv.slice(2);
const errors = [];
const occurrences = [];

function stamp(time) {
  if (time.isDate) return time.toString();
  return time.convertToZone(ICAL.Timezone.utcTimezone).toString();
}

function checkZones(component) {
  // ical.js silently treats an unknown TZID as floating time: for us that is an error.
  for (const prop of component.getAllProperties()) {
    const tzid = prop.getParameter("tzid");
    if (tzid && !ICAL.TimezoneService.has(tzid)) {
      errors.push(`${prop.name.toUpperCase()}: unknown TZID ${tzid}`);
    }
  }
}

function required(component, names) {
  const uid = component.getFirstPropertyValue("uid");
  for (const name of names) {
    if (!component.hasProperty(name)) errors.push(`VEVENT ${uid}: missing ${name.toUpperCase()}`);
  }
}

function push(uid, start, end) {
  const s = stamp(start);
  if (s >= from && s < to) occurrences.push({ uid, start: s, end: stamp(end) });
}

function expand(event) {
  if (!event.isRecurring()) {
    push(event.uid, event.startDate, event.endDate);
    return;
  }
  const iterator = event.iterator();
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = iterator.next();
    if (!next) return;
    if (stamp(next) >= to) return;
    const details = event.getOccurrenceDetails(next);
    push(event.uid, details.startDate, details.endDate);
  }
  errors.push(`${event.uid}: more than ${MAX_STEPS} occurrences before ${to}`);
}

try {
  const text = readFileSync(file ?? 0, "utf8");
  const root = new ICAL.Component(ICAL.parse(text));
  if (root.name !== "vcalendar") errors.push(`top-level component is ${root.name}`);
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
  }
  const masters = new Map();
  const exceptions = [];
  for (const vevent of root.getAllSubcomponents("vevent")) {
    checkZones(vevent);
    required(vevent, ["uid", "dtstamp", "dtstart"]);
    const uid = vevent.getFirstPropertyValue("uid");
    if (vevent.hasProperty("recurrence-id")) exceptions.push(vevent);
    else if (masters.has(uid)) errors.push(`duplicate master VEVENT for UID ${uid}`);
    // exceptions: [] — without it ICAL.Event relates *every* RECURRENCE-ID VEVENT of the
    // calendar, whatever its UID (and throws on the first foreign one with strictExceptions).
    else masters.set(uid, new ICAL.Event(vevent, { strictExceptions: true, exceptions: [] }));
  }
  for (const vevent of exceptions) {
    const uid = vevent.getFirstPropertyValue("uid");
    const master = masters.get(uid);
    if (master) master.relateException(vevent);
    else {
      const lone = new ICAL.Event(vevent, { exceptions: [] });
      push(uid, lone.startDate, lone.endDate);
    }
  }
  for (const uid of [...masters.keys()].sort()) expand(masters.get(uid));
} catch (error) {
  errors.push(`ical.js: ${error.name}: ${error.message}`);
}
process.stdout.write(JSON.stringify({ errors, occurrences }) + "\n");
