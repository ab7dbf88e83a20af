/* Case Timeline — the timeline grid (hand-written, no dependencies; the page works without it, read-only).
 * 1. Keyboard: one active cell (a roving tabindex); arrows move, Enter edits (Enter saves, Escape cancels), the
 *    headings sort, shortcuts for the daily loop, listed in the help dialog (?).
 * 2. Cells saved in place with the user's standing "working on" reason; the server refuses a cell changed by someone
 *    else meanwhile (409), and the row then shows their value.
 * 3. Selection for bulk actions, kept across pages of the same matter (sessionStorage), and the bulk bar.
 * 4. Settings remembered on the server: columns, which panels are open, the "working on" reason.
 * 5. The visual timeline, fetched when its panel is opened.
 * User text is always put in the page as text (textContent), never as markup. */
(function () {
  "use strict";

  var grid = document.getElementById("grid");
  var status = document.getElementById("grid-status");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  var editable = grid && grid.dataset.editable === "1";
  var say = function (text, bad) {
    if (!status) return;
    status.textContent = text;
    status.className = "grid-status" + (bad ? " bad" : "") + (text ? " shown" : "");
  };
  var post = function (url, data, accept) {
    var body = new URLSearchParams();
    Object.keys(data).forEach(function (k) {
      [].concat(data[k]).forEach(function (v) { body.append(k, v); });
    });
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "X-CSRFToken": csrf ? csrf.value : "", Accept: accept || "application/json" },
    });
  };
  var settingsUrl = (document.getElementById("settings-form") || {}).action;
  var saveSetting = function (data) {
    if (settingsUrl) post(settingsUrl, data).catch(function () { /* a setting not kept is no loss */ });
  };

  // Settings: panels open or closed, columns shown ---------------------------------------------------------------
  Array.prototype.forEach.call(document.querySelectorAll("details[data-setting]"), function (panel) {
    panel.addEventListener("toggle", function () {
      var data = {};
      data[panel.dataset.setting] = panel.open ? "true" : "false";
      saveSetting(data);
    });
  });

  // The visual timeline: fetched when opened; zoomed and panned by asking the server to draw a window of days (the
  // filters' "from" and "to"), so that marks, groups and labels are laid out again for the window.
  var visual = document.getElementById("visual");
  var DAY = 86400000;
  var iso = function (t) { return new Date(t).toISOString().slice(0, 10); };
  var drawn = null;  // {lo, hi}: the days drawn now, in ms
  var overall = null;  // {lo, hi}: the whole span, the first drawing's: the overview strip, and the zoom's bounds
  var brush = document.getElementById("visual-brush");
  var dayText = function (t) {
    return new Date(t).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
  };
  var buildBrush = function (frame) {  // bars of how many events fall in each slice of the whole span, key facts red
    var counts = frame.dataset.overview.split(",").map(Number);
    var keys = (frame.dataset.overviewKey || "").split(",").map(Number);
    var most = Math.max.apply(null, counts.concat([1]));
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + counts.length + " 20");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("aria-hidden", "true");
    counts.forEach(function (n, i) {
      if (!n) return;
      var bar = document.createElementNS(ns, "rect"), h = 4 + 16 * n / most;
      bar.setAttribute("x", i + 0.1); bar.setAttribute("width", 0.8); bar.setAttribute("y", 20 - h); bar.setAttribute("height", h);
      if (keys[i]) bar.setAttribute("class", "key");
      svg.appendChild(bar);
    });
    brush.querySelector(".brush-bars").replaceChildren(svg);
    brush.hidden = false;
  };
  var showWindow = function () {  // the span drawn now, on the strip and in words
    if (!brush || !overall || !drawn) return;
    var span = overall.hi + DAY - overall.lo;
    var at = function (t) { return Math.min(1, Math.max(0, (t - overall.lo) / span)) * 100; };
    var box = brush.querySelector(".brush-window");
    box.style.left = at(drawn.lo) + "%";
    box.style.width = Math.max(0.5, at(drawn.hi + DAY) - at(drawn.lo)) + "%";
    document.getElementById("visual-brush-range").textContent = "Span shown: " + dayText(drawn.lo) + " – " +
      dayText(drawn.hi) + ", of " + dayText(overall.lo) + " – " + dayText(overall.hi) + ".";
  };
  var drawVisual = function (url) {
    var body = visual.querySelector(".visual-body");
    body.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html+fragment" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        body.innerHTML = html;  // our own page's markup, escaped by the server
        body.removeAttribute("aria-busy");
        var frame = body.querySelector(".visual-frame");
        drawn = frame && frame.dataset.first ? { lo: Date.parse(frame.dataset.first), hi: Date.parse(frame.dataset.last) } : null;
        if (!overall && drawn && brush && frame.dataset.overview) { overall = { lo: drawn.lo, hi: drawn.hi }; buildBrush(frame); }
        showWindow();
      })
      .catch(function () { body.textContent = "The visual timeline could not be drawn; reload to try again."; });
  };
  var windowUrl = function (lo, hi) {
    var parts = visual.dataset.src.split("?"), params = new URLSearchParams(parts[1] || "");
    params.set("from", iso(lo)); params.set("to", iso(hi)); params.delete("page");
    return parts[0] + "?" + params.toString();
  };
  var zoom = function (how, at) {
    if (how === "whole") { drawVisual(visual.dataset.src); return; }
    if (!drawn) return;
    var span = Math.max(DAY, drawn.hi - drawn.lo), lo = drawn.lo, hi = drawn.hi;
    var f = at === undefined ? 0.5 : at;
    if (how === "in" || how === "out") {
      var next = Math.max(DAY, how === "in" ? span / 2 : span * 2), center = lo + span * f;
      lo = center - next * f; hi = lo + next;
    } else {
      var shift = (how === "later" ? 1 : -1) * span / 2;
      lo += shift; hi += shift;
    }
    drawWindow(lo, hi);
  };
  // A window within the whole span (never past the filters' own dates): moved back inside, or the whole span.
  var drawWindow = function (lo, hi) {
    if (overall) {
      if (hi - lo >= overall.hi - overall.lo) { drawVisual(visual.dataset.src); return; }
      if (lo < overall.lo) { hi += overall.lo - lo; lo = overall.lo; }
      if (hi > overall.hi) { lo -= hi - overall.hi; hi = overall.hi; }
    }
    drawVisual(windowUrl(lo, hi));
  };
  // The range brush: drag across the overview strip to draw that span; a click centres the span drawn there.
  if (brush) {
    var selection = brush.querySelector(".brush-selection"), dragFrom = null;
    var fraction = function (e) {
      var b = brush.getBoundingClientRect();
      return Math.min(1, Math.max(0, (e.clientX - b.left) / b.width));
    };
    var paintSelection = function (a, b) {
      selection.style.left = Math.min(a, b) * 100 + "%";
      selection.style.width = Math.abs(b - a) * 100 + "%";
    };
    brush.addEventListener("pointerdown", function (e) {
      if (!overall || e.button !== 0) return;
      dragFrom = fraction(e);
      brush.setPointerCapture(e.pointerId);
      paintSelection(dragFrom, dragFrom);
      selection.hidden = false;
      e.preventDefault();
    });
    brush.addEventListener("pointermove", function (e) { if (dragFrom !== null) paintSelection(dragFrom, fraction(e)); });
    brush.addEventListener("pointercancel", function () { dragFrom = null; selection.hidden = true; });
    brush.addEventListener("pointerup", function (e) {
      if (dragFrom === null) return;
      var to = fraction(e), a = Math.min(dragFrom, to), b = Math.max(dragFrom, to);
      var span = overall.hi + DAY - overall.lo;
      dragFrom = null;
      selection.hidden = true;
      brush.focus();
      if ((b - a) * brush.getBoundingClientRect().width < 4) {
        var half = (drawn.hi - drawn.lo) / 2, centre = overall.lo + a * span;
        drawWindow(centre - half, centre + half);
      } else {
        drawWindow(overall.lo + a * span, Math.max(overall.lo + a * span, overall.lo + b * span - DAY));
      }
    });
    brush.addEventListener("keydown", function (e) {
      var how = { ArrowLeft: "earlier", ArrowRight: "later", "+": "in", "=": "in", "-": "out", Home: "whole" }[e.key];
      if (!how || e.altKey || e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      e.stopPropagation();
      zoom(how);
    });
  }
  var loadVisual = function () {
    if (!visual || !visual.open || visual.dataset.loaded) return;
    visual.dataset.loaded = "1";
    visual.querySelector(".zoom").hidden = false;
    visual.querySelector(".visual-body").textContent = "Drawing the visual timeline…";
    drawVisual(visual.dataset.src);
  };
  if (visual) {
    visual.addEventListener("toggle", loadVisual);
    visual.querySelector(".zoom").addEventListener("click", function (e) {
      var b = e.target.closest("button[data-zoom]");
      if (b) zoom(b.dataset.zoom);
    });
    // The tracked sources' lanes: asked of the server with "sources=1", kept while zooming (windowUrl reads src).
    var sources = visual.querySelector("input[data-sources]");
    if (sources) sources.addEventListener("change", function () {
      var parts = visual.dataset.src.split("?"), params = new URLSearchParams(parts[1] || "");
      if (sources.checked) params.set("sources", "1"); else params.delete("sources");
      visual.dataset.src = parts[0] + (params.toString() ? "?" + params.toString() : "");
      drawVisual(visual.dataset.src);
    });
    visual.querySelector(".visual-body").addEventListener("wheel", function (e) {
      var svg = e.currentTarget.querySelector("svg");
      if (!svg || !drawn) return;
      e.preventDefault();
      var box = svg.getBoundingClientRect();
      zoom(e.deltaY < 0 ? "in" : "out", Math.min(1, Math.max(0, (e.clientX - box.left) / box.width)));
    }, { passive: false });
    loadVisual();
  }

  var chooser = document.getElementById("column-chooser");
  if (chooser) {
    chooser.querySelector("button[type=submit]").hidden = true;
    chooser.addEventListener("change", function () {
      var chosen = [];
      Array.prototype.forEach.call(chooser.querySelectorAll("input[name=columns]"), function (box) {
        if (box.checked) chosen.push(box.value);
        if (!grid) return;
        Array.prototype.forEach.call(grid.querySelectorAll(".c-" + box.value), function (cell) { cell.hidden = !box.checked; });
      });
      var density = chooser.querySelector("input[name=density]:checked");
      if (grid && density) grid.className = grid.className.replace(/density-\S+/, "density-" + density.value);
      var page = chooser.querySelector("input[name=page]");  // whose grid: the timeline's, or the documents'
      saveSetting({ columns_set: "1", columns: chosen, density: density ? density.value : "", page: page ? page.value : "" });
    });
  }

  var workingOn = document.getElementById("working-on");
  var workingInput = document.getElementById("id_working_on");
  var bulkReason = document.getElementById("bulk-reason");
  if (workingOn) {
    workingOn.addEventListener("submit", function (e) {
      e.preventDefault();
      post(workingOn.action, { working_on: workingInput.value })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (!data.ok) { say(data.message, true); return; }
          workingInput.value = data.working_on;
          if (bulkReason && !bulkReason.dataset.typed) bulkReason.value = data.working_on;
          say(data.working_on ? "Working on: " + data.working_on + ". Every quick edit records it." :
            "No reason set: quick edits ask for one.");
          if (pendingEdit) { var cell = pendingEdit; pendingEdit = null; focusCell(cell); startEdit(cell); }
        })
        .catch(function () { say("Not saved; try again.", true); });
    });
  }
  if (bulkReason) bulkReason.addEventListener("input", function () { bulkReason.dataset.typed = "1"; });

  // Help dialog ----------------------------------------------------------------------------------------------------
  var help = document.getElementById("help");
  var openHelp = function () { if (help && !help.open) help.showModal(); };
  var helpButton = document.getElementById("help-open");
  if (helpButton) helpButton.addEventListener("click", openHelp);

  // Selection and the bulk bar ---------------------------------------------------------------------------------------
  var bulkForm = document.getElementById("bulk-form");
  var storeKey = "grid-selection:" + location.pathname;
  var selection = {};
  try { selection = JSON.parse(sessionStorage.getItem(storeKey) || "{}"); } catch (err) { selection = {}; }
  var keep = function () { try { sessionStorage.setItem(storeKey, JSON.stringify(selection)); } catch (err) { /* */ } };
  var boxes = grid ? grid.querySelectorAll("tbody input[name=event]") : [];
  var onPage = {};
  Array.prototype.forEach.call(boxes, function (box) {
    var id = box.value.split(":")[0];
    onPage[id] = box;
    if (selection[id]) {
      box.checked = true;
      box.value = id + ":" + selection[id];  // the version seen when it was selected
    }
  });
  var refreshBulk = function () {
    if (!bulkForm) return;
    Array.prototype.forEach.call(bulkForm.querySelectorAll("input.elsewhere"), function (i) { i.remove(); });
    var ids = Object.keys(selection), elsewhere = 0;
    ids.forEach(function (id) {
      if (onPage[id]) return;
      elsewhere++;
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "event"; hidden.className = "elsewhere";
      hidden.value = id + ":" + selection[id];
      bulkForm.appendChild(hidden);
    });
    bulkForm.hidden = ids.length === 0;
    document.getElementById("bulk-count").textContent = ids.length + " selected" +
      (elsewhere ? " (" + elsewhere + " on other pages)" : "");
    var all = document.getElementById("select-page");
    var wholePage = boxes.length > 0 && Array.prototype.every.call(boxes, function (b) { return b.checked; });
    if (all) all.checked = wholePage;
    Array.prototype.forEach.call(boxes, function (b) { b.closest("tr").classList.toggle("selected", b.checked); });
    // Every row of the page checked: offer every event the filters keep, on all pages (decided by the server).
    if (matching) {
      if (!wholePage) allMatching = false;
      matching.hidden = !wholePage;
      matchingInput.disabled = !allMatching;
      document.getElementById("select-matching-on").hidden = allMatching;
      document.getElementById("select-matching-off").hidden = !allMatching;
      if (allMatching) {
        document.getElementById("bulk-count").textContent = "All " + matching.dataset.count +
          " events matching the filters selected (on every page)";
      }
    }
    var apply = document.getElementById("bulk-apply");
    if (apply) apply.textContent = allMatching ? "Apply to all " + matching.dataset.count + " events" :
      "Apply to " + ids.length + " selected";
  };
  var matching = document.getElementById("select-matching");
  var matchingInput = document.getElementById("all-matching");
  var allMatching = false;
  if (matching) {
    document.getElementById("select-matching-on").addEventListener("click", function () {
      allMatching = true; refreshBulk(); document.getElementById("select-matching-off").focus();
    });
    document.getElementById("select-matching-off").addEventListener("click", function () {
      allMatching = false; refreshBulk(); document.getElementById("select-matching-on").focus();
    });
  }
  var select = function (box, on) {
    var parts = box.value.split(":");
    box.checked = on;
    if (on) selection[parts[0]] = parts[1]; else delete selection[parts[0]];
  };
  Array.prototype.forEach.call(boxes, function (box) {
    box.addEventListener("change", function () { select(box, box.checked); keep(); refreshBulk(); });
  });
  var selectPage = function (on) {
    Array.prototype.forEach.call(boxes, function (b) { select(b, on); });
    keep(); refreshBulk();
  };
  var selectAll = document.getElementById("select-page");
  if (selectAll) selectAll.addEventListener("change", function () { selectPage(selectAll.checked); });
  if (bulkForm) {
    var action = document.getElementById("bulk-action");
    var showValue = function () {
      var needs = action.selectedOptions[0] ? action.selectedOptions[0].dataset.needs : "";
      Array.prototype.forEach.call(bulkForm.querySelectorAll("[data-for]"), function (input) {
        var on = input.dataset.for === needs;
        input.hidden = !on; input.disabled = !on; input.required = on;
      });
    };
    action.addEventListener("change", showValue);
    showValue();
    document.getElementById("bulk-clear").addEventListener("click", function () {
      selection = {}; allMatching = false; Array.prototype.forEach.call(boxes, function (b) { b.checked = false; });
      keep(); refreshBulk();
    });
    // The selection is spent once submitted: the page that comes back shows the result (or why nothing changed).
    bulkForm.addEventListener("submit", function () { try { sessionStorage.removeItem(storeKey); } catch (err) { /* */ } });
    refreshBulk();
  }

  if (!grid) return shortcutsOutsideGrid();

  // The active cell (roving tabindex) --------------------------------------------------------------------------------
  var rows = function () { return Array.prototype.slice.call(grid.querySelectorAll("tbody tr[data-id]")); };
  var cellsOf = function (tr) {
    return Array.prototype.filter.call(tr.children, function (td) { return !td.hidden; });
  };
  var active = null;
  var focusCell = function (cell) {
    if (!cell) return;
    if (active) active.tabIndex = -1;
    active = cell;
    cell.tabIndex = 0;
    cell.focus();
    var tr = cell.parentElement;
    if (tr.dataset.id) {
      try { sessionStorage.setItem("grid-position:" + location.pathname + location.search,
        tr.id + ":" + cellsOf(tr).indexOf(cell)); } catch (err) { /* */ }
    }
  };
  var first = rows()[0];
  var start = first ? cellsOf(first)[editable ? 1 : 0] : null;
  // Coming back from an event (Back): the cell that was active before, so the paralegal keeps their place.
  try {
    var saved = (sessionStorage.getItem("grid-position:" + location.pathname + location.search) || "").split(":");
    var back = saved[0] && document.getElementById(saved[0]);
    if (back) start = cellsOf(back)[+saved[1]] || start;
  } catch (err) { /* */ }
  Array.prototype.forEach.call(grid.querySelectorAll("td, th"), function (c) { c.tabIndex = -1; });
  if (start) {
    start.tabIndex = 0; active = start;
    if (start !== (first && cellsOf(first)[editable ? 1 : 0])) { start.scrollIntoView({ block: "center" }); start.focus(); }
  }
  grid.addEventListener("click", function (e) {
    var cell = e.target.closest("td, th");
    if (cell && grid.contains(cell) && !editing) { if (active) active.tabIndex = -1; active = cell; cell.tabIndex = 0; }
  });
  grid.addEventListener("dblclick", function (e) {
    var cell = e.target.closest("td[data-field]");
    if (cell && editable) { focusCell(cell); startEdit(cell); }
  });
  Array.prototype.forEach.call(grid.querySelectorAll("button.expand"), function (b) {
    b.addEventListener("click", function () { toggleDescription(b.closest("tr")); });
  });
  var toggleDescription = function (tr) {
    var button = tr.querySelector("button.expand");
    if (!button) return;
    var desc = document.getElementById(button.getAttribute("aria-controls"));
    desc.hidden = !desc.hidden;
    button.setAttribute("aria-expanded", String(!desc.hidden));
    button.firstElementChild.textContent = desc.hidden ? "▸" : "▾";
  };

  var move = function (dRow, dCol) {
    if (!active) return;
    var tr = active.parentElement;
    var inHead = tr.parentElement.tagName === "THEAD";
    var all = rows();
    var col = cellsOf(tr).indexOf(active);
    var target;
    if (inHead) {
      if (dRow > 0) target = all[0];
      else target = tr;
    } else {
      var i = all.indexOf(tr) + dRow;
      if (i < 0) target = grid.querySelector("thead tr");
      else target = all[Math.min(i, all.length - 1)];
    }
    if (!target) return;
    var cells = cellsOf(target);
    col = Math.max(0, Math.min(cells.length - 1, col + dCol));
    focusCell(cells[col]);
    if (dRow) active.scrollIntoView({ block: "nearest" });
  };

  // Editing a cell -----------------------------------------------------------------------------------------------------
  var editing = null, pendingEdit = null;
  var OPTIONS = {
    status: [["undisputed", "Undisputed"], ["disputed", "Disputed"], ["unverified", "Unverified"]],
    key: [["yes", "Key fact"], ["no", "Not a key fact"]],
  };
  var kinds = document.querySelector("select[data-for=kind]");
  if (kinds) OPTIONS.kind = Array.prototype.map.call(kinds.options, function (o) { return [o.value, o.text]; });

  var startEdit = function (cell) {
    if (!editable || editing || !cell.dataset.field) return;
    var tr = cell.parentElement;
    if (tr.classList.contains("deleted")) { say("This event is deleted; restore it before editing.", true); return; }
    if (workingInput && !workingInput.value.trim()) {
      pendingEdit = cell;
      say("Say what you are working on first: every quick edit records it as its reason. Then press Enter.", true);
      workingInput.focus();
      return;
    }
    var field = cell.dataset.field, input;
    if (OPTIONS[field]) {
      input = document.createElement("select");
      OPTIONS[field].forEach(function (o) {
        var opt = document.createElement("option");
        opt.value = o[0]; opt.textContent = o[1];
        input.appendChild(opt);
      });
    } else {
      input = document.createElement("input");
      input.type = "text";
      if (field === "issues") input.setAttribute("list", "issue-names");
      if (field === "actors") input.setAttribute("list", "actor-names");
    }
    input.value = cell.dataset.value;
    input.className = "cell-editor";
    input.setAttribute("aria-label", "Edit " + grid.querySelector("th[data-col=" + field + "]").textContent.trim() +
      "; Enter saves, Escape cancels");
    editing = { cell: cell, input: input, html: Array.prototype.slice.call(cell.childNodes) };
    cell.textContent = "";
    cell.classList.add("editing");
    cell.appendChild(input);
    if (field === "date") {
      var preview = document.createElement("div");
      preview.className = "cell-preview";
      preview.setAttribute("aria-live", "polite");
      cell.appendChild(preview);
      var timer = null, seq = 0;
      var ask = function () {
        var mine = ++seq;
        fetch(grid.dataset.previewUrl + "?text=" + encodeURIComponent(input.value), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (d) { if (mine === seq) { preview.textContent = d.message; preview.classList.toggle("bad", !d.ok); } });
      };
      input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 200); });
      editing.stop = function () { clearTimeout(timer); seq++; };
      ask();
    }
    if (field === "actors" && grid.dataset.guessUrl) newActorKinds(cell, input);
    input.focus();
    if (input.select) input.select();
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); e.stopPropagation(); save(); }
      else if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); cancel(); }
    });
  };
  // The actors cell: each name the matter does not have yet is offered as person or organisation, set to the
  // server's guess (its reason in the tooltip and the text beside it); saved with the cell (Enter in any of them).
  var newActorKinds = function (cell, input) {
    var box = document.createElement("div");
    box.className = "cell-new-actors";
    box.setAttribute("aria-live", "polite");
    cell.appendChild(box);
    var timer = null, seq = 0;
    var chosen = function () {
      var out = {};
      Array.prototype.forEach.call(box.querySelectorAll("select"), function (s) { out[s.dataset.name] = s.value; });
      return out;
    };
    var ask = function () {
      var mine = ++seq, before = chosen();
      fetch(grid.dataset.guessUrl + "?names=" + encodeURIComponent(input.value), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (d) {
          if (mine !== seq) return;
          box.textContent = "";
          d.new.forEach(function (row, i) {
            var line = document.createElement("div");
            var label = document.createElement("label");
            var select = document.createElement("select");
            select.id = "cell-new-actor-" + i;
            select.dataset.name = row.name;
            label.htmlFor = select.id;
            label.textContent = "New: “" + row.name + "” is ";
            [["person", "Person"], ["organisation", "Organisation"]].forEach(function (o) {
              var opt = document.createElement("option");
              opt.value = o[0]; opt.textContent = o[1];
              select.appendChild(opt);
            });
            select.value = before[row.name] || row.kind;
            select.title = "Guessed " + row.guessed + ": " + row.why;
            var why = document.createElement("span");
            why.className = "why";
            why.textContent = " (" + row.why + ")";
            select.addEventListener("keydown", function (e) {
              if (e.key === "Enter") { e.preventDefault(); e.stopPropagation(); save(); }
              else if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); cancel(); }
            });
            line.appendChild(label); line.appendChild(select); line.appendChild(why);
            box.appendChild(line);
          });
        })
        .catch(function () { /* the server guesses on save anyway */ });
    };
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 250); });
    var stop = editing.stop;
    editing.stop = function () { clearTimeout(timer); seq++; if (stop) stop(); };
    editing.extra = function () {
      var pairs = chosen(), names = Object.keys(pairs);
      return { new_actor_name: names, new_actor_kind: names.map(function (n) { return pairs[n]; }) };
    };
    ask();
  };
  var restore = function () {
    var cell = editing.cell;
    if (editing.stop) editing.stop();
    cell.textContent = "";
    editing.html.forEach(function (n) { cell.appendChild(n); });
    cell.classList.remove("editing");
    editing = null;
    focusCell(cell);
  };
  var cancel = function () { if (editing) { restore(); say("Not changed."); } };
  var paint = function (tr, cells, version) {
    tr.dataset.version = version;
    var box = tr.querySelector("input[name=event]");
    if (box) {
      box.value = tr.dataset.id + ":" + version;
      if (box.checked) { selection[tr.dataset.id] = String(version); keep(); }
    }
    Object.keys(cells).forEach(function (field) {
      var td = tr.querySelector("td[data-field=" + field + "]");
      if (!td || td === (editing && editing.cell)) return;
      td.dataset.value = cells[field].value;
      if (field === "title") td.querySelector("a").textContent = cells.title.text;
      else td.textContent = cells[field].text;
      if (field === "status") td.className = "c-status status-" + cells.status.value;
    });
    tr.classList.toggle("key", cells.key.value === "yes");
    tr.classList.toggle("disputed", cells.status.value === "disputed");
  };
  var save = function () {
    if (!editing) return;
    var cell = editing.cell, tr = cell.parentElement, field = cell.dataset.field, value = editing.input.value;
    if (value === cell.dataset.value) { restore(); say("Not changed."); return; }
    editing.input.disabled = true;
    sendCell(tr, field, value, editing.extra ? editing.extra() : {}).then(function (data) {
      if (!editing) return;
      if (data.ok) {
        var shown = data.cells[field];
        cell.dataset.value = shown.value;
        editing.html = field === "title" ? editing.html : [document.createTextNode(shown.text)];
        if (field === "title") editing.html.filter(function (n) { return n.tagName === "A"; })[0].textContent = shown.text;
        restore();
        paint(tr, data.cells, data.version);
        say(data.message);
      } else if (data.stale) {
        restore();
        paint(tr, data.cells, data.version);
        cell.classList.add("conflict");
        say(data.message, true);
      } else {
        editing.input.disabled = false;
        editing.input.focus();
        editing.input.setAttribute("aria-invalid", "true");
        say(data.message, true);
      }
    });
  };
  var sendCell = function (tr, field, value, extra) {
    var url = grid.dataset.cellUrl.replace(/\/0\/cell$/, "/" + tr.dataset.id + "/cell");
    return post(url, Object.assign({ field: field, value: value, version: tr.dataset.version }, extra || {}))
      .then(function (r) { return r.json(); })
      .catch(function () { return { ok: false, message: "Not saved: the server could not be reached." }; });
  };
  var toggleKey = function (tr) {
    if (!editable || !tr.dataset.id) return;
    if (workingInput && !workingInput.value.trim()) {
      say("Say what you are working on first: every quick edit records it as its reason.", true);
      workingInput.focus();
      return;
    }
    var keyCell = tr.querySelector("td[data-field=key]");
    var next = keyCell.dataset.value === "yes" ? "no" : "yes";
    sendCell(tr, "key", next).then(function (data) {
      if (data.cells) paint(tr, data.cells, data.version);
      say(data.ok ? data.message : data.message, !data.ok);
    });
  };

  // Keys ------------------------------------------------------------------------------------------------------------
  var typing = function (el) {
    return el && (el.tagName === "INPUT" && el.type !== "checkbox" || el.tagName === "TEXTAREA" || el.tagName === "SELECT");
  };
  grid.addEventListener("keydown", function (e) {
    if (editing || e.altKey || e.ctrlKey || e.metaKey) return;
    var cell = e.target.closest("td, th");
    if (!cell) return;
    if (cell !== active) { if (active) active.tabIndex = -1; active = cell; cell.tabIndex = 0; }
    var tr = cell.parentElement;
    var handled = true;
    switch (e.key) {
      case "ArrowDown": case "j": move(1, 0); break;
      case "ArrowUp": case "k": move(-1, 0); break;
      case "ArrowLeft": move(0, -1); break;
      case "ArrowRight": move(0, 1); break;
      case "Home": focusCell(cellsOf(tr)[0]); break;
      case "End": focusCell(cellsOf(tr)[cellsOf(tr).length - 1]); break;
      case "Enter": case "F2":
        if (cell.tagName === "TH") { var link = cell.querySelector("a"); if (link) link.click(); }
        else if (cell.dataset.field) startEdit(cell);
        else if (cell.classList.contains("more")) toggleDescription(tr);
        else if (!editable && cell.querySelector("a")) cell.querySelector("a").click();  // a read-only grid's link
        else handled = false;
        break;
      case "*": toggleKey(tr); break;
      case "x": case " ":
        var box = tr.querySelector("input[name=event]");
        if (box) { select(box, !box.checked); keep(); refreshBulk(); } else handled = false;
        break;
      case "X": selectPage(!Array.prototype.every.call(boxes, function (b) { return b.checked; })); break;
      case "o": var a = tr.querySelector(".c-title a"); if (a) a.click(); else handled = false; break;
      case "d": toggleDescription(tr); break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });
  shortcutsOutsideGrid();

  function shortcutsOutsideGrid() {
    document.addEventListener("keydown", function (e) {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || typing(e.target) || (help && help.open)) return;
      var go = function (selector) { var el = document.querySelector(selector); if (el) { e.preventDefault(); el.click(); } };
      switch (e.key) {
        case "?": e.preventDefault(); openHelp(); break;
        case "/": var q = document.querySelector("#filters input[name=q]"); if (q) { e.preventDefault(); q.focus(); q.select(); } break;
        case "n": go("a[aria-keyshortcuts=n]"); break;
        case "]": go(".pager a[rel=next]"); break;
        case "[": go(".pager a[rel=prev]"); break;
        case "w": if (workingInput) { e.preventDefault(); workingInput.focus(); workingInput.select(); } break;
        case "b":
          if (bulkForm && !bulkForm.hidden) { e.preventDefault(); document.getElementById("bulk-action").focus(); }
          break;
        case "g": if (active) { e.preventDefault(); focusCell(active); } break;
      }
    });
  }
})();
