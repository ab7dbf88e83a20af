/* Case Timeline — event form helpers (hand-written, no dependencies; the form works without them).
 * 1. Live date preview: as the date is typed, ask the server how it reads it and say so in an aria-live region.
 * 2. Name suggestions for the "a; b; c" actor and issue fields: the <datalist> offers existing names for the part
 *    after the last separator, keeping what is already typed.
 * 3. One submission: the form's buttons are disabled once it is submitted (the server refuses a second one anyway).
 * 4. New actors: as actors are typed, the names the matter does not have yet are offered as person or organisation,
 *    set to the server's guess (which says why); a kind the user chose is kept while the field changes. */
(function () {
  "use strict";

  var date = document.querySelector("input[data-preview-url]");
  var out = document.getElementById("date-preview");
  if (date && out) {
    var timer = null, seq = 0;
    var show = function (text, ok) {
      out.textContent = text;
      out.className = "date-preview " + (ok ? "ok" : "bad");
    };
    // The server's own error for the date, shown with the form: the preview does not say it a second time; once
    // the date is typed again, the preview speaks for it.
    var serverError = date.parentElement.querySelector("p.error");
    var ask = function () {
      var mine = ++seq;
      var url = date.dataset.previewUrl + "?text=" + encodeURIComponent(date.value);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (mine !== seq || (serverError && !data.ok)) return;
          show(data.message, data.ok);
        })
        .catch(function () { if (mine === seq) show("", true); });
    };
    date.addEventListener("input", function () {
      if (serverError) { serverError.remove(); serverError = null; }
      clearTimeout(timer);
      timer = setTimeout(ask, 300);
    });
    // A form the browser restores (Back, the back-forward cache, a reload) keeps the typed date: the preview reads
    // what is in the field then, and never changes the text itself. "pageshow" also comes after the browser's
    // own restoring of the form's values, which can be later than this script.
    var refresh = function () {
      if (date.value) ask();
      else { seq++; out.textContent = ""; }
    };
    if (date.value) ask();
    window.addEventListener("pageshow", function (e) {
      if (e.persisted || date.value !== date.defaultValue) refresh();
    });
  }

  var actors = document.getElementById("id_actors");
  var newActors = document.getElementById("new-actors");
  if (actors && newActors && newActors.dataset.guessUrl) {
    var guessTimer = null, guessSeq = 0;
    var guess = function () {
      var mine = ++guessSeq;
      var query = new URLSearchParams({ names: actors.value });
      // the kinds chosen so far, so that the rows come back as the user left them
      var names = newActors.querySelectorAll("input[name=new_actor_name]");
      var kinds = newActors.querySelectorAll("select[name=new_actor_kind]");
      Array.prototype.forEach.call(names, function (input, i) {
        query.append("new_actor_name", input.value);
        query.append("new_actor_kind", kinds[i] ? kinds[i].value : "");
      });
      fetch(newActors.dataset.guessUrl + "?" + query.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) { if (mine === guessSeq) newActors.innerHTML = data.html; })
        .catch(function () { /* the server guesses on save anyway */ });
    };
    actors.addEventListener("input", function () { clearTimeout(guessTimer); guessTimer = setTimeout(guess, 300); });
    actors.addEventListener("change", function () { clearTimeout(guessTimer); guess(); });
  }

  // One submission: after the first, further submits of the form are ignored (the server is the guarantee; see
  // event_create_once). The buttons are disabled after the form data is taken, so "Add and start another" still
  // says which button was pressed; coming back to the page (Back) enables them again.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-submit-once]"), function (form) {
    // The form's one-time token is kept with this history entry when the form is submitted: a page Back brings again
    // (re-fetched from the server, with a new token) takes back the token it was submitted with, so submitting it
    // again is recognised by the server as the same submission.
    var token = form.querySelector("input[name=submission_token]");
    var keepToken = function () {
      if (!token || !token.value) return;
      var state = Object.assign({}, history.state || {}, { submissionToken: token.value });
      try { history.replaceState(state, ""); } catch (err) { /* the server still refuses double clicks */ }
    };
    var restoreToken = function () {
      if (token && history.state && history.state.submissionToken) token.value = history.state.submissionToken;
    };
    restoreToken();
    var buttons = form.querySelectorAll("button[type=submit], input[type=submit]");
    var setDisabled = function (value) {
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = value; });
    };
    form.addEventListener("submit", function (e) {
      if (form.dataset.submitting) { e.preventDefault(); return; }
      form.dataset.submitting = "1";
      keepToken();
      setTimeout(function () { setDisabled(true); }, 0);
    });
    window.addEventListener("pageshow", function () {
      restoreToken();
      delete form.dataset.submitting;
      setDisabled(false);
    });
  });

  var suggest = function (input, listId) {
    var list = document.getElementById(listId);
    if (!input || !list) return;
    var names = Array.prototype.map.call(list.options, function (o) { return o.value; });
    input.setAttribute("list", listId);
    input.setAttribute("autocomplete", "off");
    input.addEventListener("input", function () {
      var cut = Math.max(input.value.lastIndexOf(";"), input.value.lastIndexOf(","));
      var prefix = cut >= 0 ? input.value.slice(0, cut + 1).replace(/\s*$/, " ") : "";
      var typed = prefix ? prefix.split(/[;,]/).map(function (s) { return s.trim().toLowerCase(); }) : [];
      list.innerHTML = "";
      names.forEach(function (n) {
        if (typed.indexOf(n.toLowerCase()) >= 0) return;
        var o = document.createElement("option");
        o.value = prefix + n;
        list.appendChild(o);
      });
    });
  };
  // Citation rows: another empty row, as many as needed, without saving first. The new row is a copy of the last
  // one with its inputs emptied and its index (cite-N-…) the formset's next; TOTAL_FORMS counts it.
  var addRow = document.getElementById("add-citation-row");
  var total = document.querySelector("input[name=cite-TOTAL_FORMS]");
  if (addRow && total) {
    addRow.parentElement.hidden = false;
    addRow.addEventListener("click", function () {
      var rows = document.querySelectorAll("tr.citation-row");
      var last = rows[rows.length - 1];
      if (!last) return;
      var n = parseInt(total.value, 10), from = /cite-\d+-/g, label = /citation \d+/g;
      var row = last.cloneNode(true);
      row.classList.remove("has-error");
      Array.prototype.forEach.call(row.querySelectorAll(".error, .page-warning"), function (e) { e.remove(); });
      Array.prototype.forEach.call(row.querySelectorAll("[name], [id], [for]"), function (el) {
        ["name", "id", "for"].forEach(function (a) {
          if (el.hasAttribute(a)) el.setAttribute(a, el.getAttribute(a).replace(from, "cite-" + n + "-"));
        });
        if (el.tagName === "SELECT") el.selectedIndex = 0;
        else if (el.type === "checkbox") el.parentElement.remove();
        else if (el.tagName === "INPUT") el.value = "";
      });
      Array.prototype.forEach.call(row.querySelectorAll("label"), function (l) {
        l.textContent = l.textContent.replace(label, "citation " + (n + 1));
      });
      last.parentElement.appendChild(row);
      total.value = n + 1;
      var first = row.querySelector("select");
      if (first) first.focus();
    });
  }

  suggest(document.getElementById("id_actors"), "actor-names");
  suggest(document.getElementById("id_issues"), "issue-names");
})();
