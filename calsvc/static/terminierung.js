// Progressive enhancement: show what the server reads from a Terminierung while typing.
// The page works without it; the server validates again on submit.
(function () {
  "use strict";
  var input = document.querySelector("input[data-terminierung]");
  var out = document.getElementById("terminierung-preview");
  var year = document.getElementById("f-plan_year");
  if (!input || !out || !window.fetch) { return; }
  var timer = null;
  function check() {
    var params = new URLSearchParams({ text: input.value, year: year ? year.value : "" });
    fetch("/api/v1/terminierung/parse?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (res.ok) {
          out.textContent = "Verstanden als: " + res.body.label;
          out.classList.remove("field-message");
          input.removeAttribute("aria-invalid");
        } else {
          out.textContent = res.body.error.message;
          out.classList.add("field-message");
          input.setAttribute("aria-invalid", "true");
        }
      })
      .catch(function () { /* offline: the server checks on submit */ });
  }
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 300);
  });
}());
