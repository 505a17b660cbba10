// Progressive enhancement of the series form (it works without this file: "Vorschau" and the
// slot buttons then submit the form and the server answers with the same page).
// - the preview of the rule and its next dates follows every edit (debounced fetch)
// - a free slot of the assistant fills date and time in place
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("series-form");
  const box = document.getElementById("vorschau");
  if (!form || !box || !window.fetch) return;
  const days = ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"];
  const pad = (n) => String(n).padStart(2, "0");
  const german = (iso) => {
    const [day, clock] = iso.split("T");
    const [y, m, d] = day.split("-").map(Number);
    const weekday = days[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
    return `${weekday}, ${pad(d)}.${pad(m)}.${y}, ${clock.slice(0, 5)}`;
  };
  const value = (name) => {
    const field = form.elements.namedItem(name);
    if (!field) return "";
    if (field instanceof RadioNodeList) return field.value;
    return field.value;
  };
  const params = () => {
    const query = new URLSearchParams();
    query.set("dtstart", value("date") ? `${value("date")}T${value("time") || "00:00"}` : "");
    for (const name of ["duration_minutes", "pattern", "nth", "end_mode", "until", "count", "rrule"]) {
      query.set(name, value(name));
    }
    const months = [...form.querySelectorAll('input[name="months"]:checked')].map((box) => box.value);
    query.set("months", months.join(","));
    query.set("limit", "10");
    return query;
  };
  const show = (children) => { box.replaceChildren(...children); };
  const paragraph = (text, className) => {
    const p = document.createElement("p");
    p.textContent = text;
    if (className) p.className = className;
    return p;
  };
  let timer = null;
  let latest = 0;
  const update = async () => {
    const ticket = ++latest;
    if (!value("date")) { show([paragraph("Bitte ein Datum wählen.", "muted")]); return; }
    try {
      const answer = await fetch(`${box.dataset.previewUrl}?${params()}`, { headers: { Accept: "application/json" } });
      const data = await answer.json();
      if (ticket !== latest) return;  // a newer edit is on its way
      if (!answer.ok) { show([paragraph(data.error ? data.error.message : "Vorschau nicht möglich.", "field-message")]); return; }
      const text = paragraph("", "rule-text");
      const strong = document.createElement("strong");
      strong.textContent = data.rule_text;
      text.append(strong);
      const list = document.createElement("ol");
      list.className = "preview-dates";
      for (const iso of data.dates) {
        const item = document.createElement("li");
        item.textContent = german(iso);
        list.append(item);
      }
      show([text, list]);
    } catch (error) {
      if (ticket === latest) show([paragraph("Vorschau gerade nicht erreichbar.", "muted")]);
    }
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(update, 350); };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || button.form !== form) return;  // the tools sit outside the form element
    if (button.name === "preview") { event.preventDefault(); update(); }
    if (button.name === "slot" && button.dataset.date) {
      event.preventDefault();
      form.elements.namedItem("date").value = button.dataset.date;
      form.elements.namedItem("time").value = button.dataset.time;
      for (const other of document.querySelectorAll('button[name="slot"]')) other.removeAttribute("aria-pressed");
      button.setAttribute("aria-pressed", "true");
      update();
    }
  });
  update();
});
