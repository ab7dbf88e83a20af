/* Case Timeline — event form helpers (hand-written, no dependencies; the form works without them).
 * 1. Live date preview: as the date is typed, ask the server how it reads it and say so in an aria-live region.
 * 2. Name suggestions for the "a; b; c" actor and issue fields: the <datalist> offers existing names for the part
 *    after the last separator, keeping what is already typed. */
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
    var ask = function () {
      var mine = ++seq;
      var url = date.dataset.previewUrl + "?text=" + encodeURIComponent(date.value);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) { if (mine === seq) show(data.message, data.ok); })
        .catch(function () { if (mine === seq) show("", true); });
    };
    date.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 300);
    });
    if (date.value) ask();
  }

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
  suggest(document.getElementById("id_actors"), "actor-names");
  suggest(document.getElementById("id_issues"), "issue-names");
})();
