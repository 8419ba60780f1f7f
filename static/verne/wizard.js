/* Verne wizard: show questions revealed by answers on the same page without a reload.
   Without JavaScript the server does the same after "Neste". The page is evaluated by the
   server's engine (POST .../evaluer/), so the browser never decides logic on its own. */
(function () {
  "use strict";
  var form = document.querySelector("form.v-wizard");
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-evaluate-url");
  var page = form.getAttribute("data-page");
  var timer = null;
  var seq = 0;

  function setHidden(el, hidden) {
    if (!el) { return; }
    if (hidden) { el.setAttribute("hidden", ""); } else { el.removeAttribute("hidden"); }
  }

  // The server compares these with what it would show, to decide whether to show the page
  // again ("new questions appeared"); questions revealed here have been seen already.
  function markShown(name, shown) {
    var sel = 'input[name="shown_questions"][value="' + CSS.escape(name) + '"]';
    var input = form.querySelector(sel);
    if (shown && !input) {
      input = document.createElement("input");
      input.type = "hidden"; input.name = "shown_questions"; input.value = name;
      form.appendChild(input);
    } else if (!shown && input) {
      input.remove();
    }
  }

  function apply(state) {
    Object.keys(state.questions || {}).forEach(function (name) {
      var q = state.questions[name];
      var box = form.querySelector('[data-question="' + CSS.escape(name) + '"]');
      if (!box) { return; }
      setHidden(box, !q.visible);
      if (box.querySelector("input, select, textarea")) { markShown(name, q.visible); }
      if (q.choices) {
        box.querySelectorAll("[data-choice]").forEach(function (c) {
          setHidden(c, q.choices.indexOf(c.getAttribute("data-choice")) === -1);
        });
      }
      if (q.display !== null && q.display !== undefined) {
        var out = box.querySelector("output[data-expression]");
        if (out) { out.textContent = q.display === "" ? "–" : q.display; }
      }
    });
    Object.keys(state.panels || {}).forEach(function (name) {
      setHidden(form.querySelector('[data-panel="' + CSS.escape(name) + '"]'), !state.panels[name]);
    });
  }

  function evaluate() {
    var data = new FormData(form);
    data.set("page", page);
    var mine = ++seq;
    fetch(url, { method: "POST", body: data, credentials: "same-origin",
                 headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) { if (state && mine === seq) { apply(state); } })
      .catch(function () { /* the server re-checks on "Neste" */ });
  }

  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(evaluate, 150);
  });
})();
