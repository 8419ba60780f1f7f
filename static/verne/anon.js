/* Verne anonymous surveys: the one-time link and the draft, kept in this browser only.
   - The link's code is in the URL fragment (#CODE), which browsers never send to a server.
     It is moved into the form and removed from the address bar, and kept in this tab's
     sessionStorage so a reload or a language switch can carry on.
   - The answers so far are in the page's signed "state" field; they are copied to
     localStorage so the respondent can continue later. Submitting removes them. */
(function () {
  "use strict";
  var DRAFTS = "verne.anon.drafts";
  var TOKEN = "verne.anon.token";
  var RESUME = "verne.anon.resume";

  function read(store, key) { try { return store.getItem(key) || ""; } catch (e) { return ""; } }
  function write(store, key, value) { try { store.setItem(key, value); } catch (e) { /* private mode */ } }
  function remove(store, key) { try { store.removeItem(key); } catch (e) { /* private mode */ } }
  function drafts() {
    try { return JSON.parse(read(window.localStorage, DRAFTS) || "{}") || {}; } catch (e) { return {}; }
  }
  function saveDrafts(d) { write(window.localStorage, DRAFTS, JSON.stringify(d)); }

  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }

  var start = document.querySelector("form[data-anon-start]");
  if (start) {
    var field = start.querySelector("input[name=token]");
    var fromHash = "";
    if (window.location.hash.length > 1) {
      fromHash = decodeURIComponent(window.location.hash.slice(1));
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    var input = start.querySelector("[data-drafts]");
    if (input) { input.value = JSON.stringify(drafts()); }
    if (start.hasAttribute("data-invalid")) {
      remove(window.sessionStorage, TOKEN);
    } else if (field) {
      var stored = read(window.sessionStorage, TOKEN);
      if (fromHash) {
        field.value = fromHash;
        write(window.sessionStorage, TOKEN, fromHash);
      } else if (stored) {
        field.value = stored;   // carrying on after a reload or a language switch
        start.submit();
        return;
      } else {
        var resume = read(window.sessionStorage, RESUME);
        if (resume && resume.charAt(0) === "/") { window.location.replace(resume); return; }
      }
    }
  }

  var form = document.querySelector("form[data-anon-campaign]");
  if (form) {
    var key = form.getAttribute("data-anon-campaign");
    var state = form.querySelector("[data-draft-state]");
    if (state && state.value) {
      var all = drafts();
      all[key] = { state: state.value, saved: new Date().toISOString().slice(0, 10) };
      saveDrafts(all);
    }
    // Questions the page script revealed were seen by the respondent: tell the server, so
    // it does not show the page again to present them.
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[name=shown_questions]").forEach(function (el) { el.remove(); });
      form.querySelectorAll("[data-question]").forEach(function (box) {
        if (box.closest("[hidden]")) { return; }
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "shown_questions";
        input.value = box.getAttribute("data-question");
        form.appendChild(input);
      });
    });
    var resumeUrl = form.getAttribute("data-anon-resume");
    if (resumeUrl) { write(window.sessionStorage, RESUME, resumeUrl); }
  }

  var done = document.querySelector("[data-anon-done]");
  if (done) {
    var doneKey = done.getAttribute("data-anon-done");
    var left = drafts();
    if (doneKey && left[doneKey]) { delete left[doneKey]; saveDrafts(left); }
    remove(window.sessionStorage, TOKEN);
    remove(window.sessionStorage, RESUME);
  }
  if (document.querySelector("[data-anon-unavailable]")) {
    remove(window.sessionStorage, TOKEN);
    remove(window.sessionStorage, RESUME);
  }
})();
