/* Job page (an export, a capture import): poll the job's JSON status and move the progress bar until the file is
   ready, or, with data-reload-when-done, reload the page once the job ends, to show what it did. Without JavaScript
   the page refreshes itself (a <noscript> meta refresh). Vendored, no dependencies. */
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-status-url");
  var state = document.getElementById("job-state");
  var bar = document.getElementById("job-bar");
  var count = document.getElementById("job-count");
  var message = document.getElementById("job-message");
  var progress = document.getElementById("job-progress");
  var download = document.getElementById("job-download");
  var link = document.getElementById("job-download-link");
  var failed = box.getAttribute("data-failed-prefix") || "The export failed: ";
  var reload = box.hasAttribute("data-reload-when-done");

  function update(s) {
    state.textContent = s.state_label;
    if (s.total) {
      bar.max = s.total;
      bar.value = s.progress;
      count.textContent = s.progress + " of " + s.total + " " + (s.unit || "events");
    }
    if (reload && (s.state === "failed" || s.state === "done")) {
      window.location.reload();
      return false;
    }
    if (s.state === "failed") {
      progress.hidden = true;
      message.textContent = failed + (s.message || "no reason given");
      return false;
    }
    message.textContent = s.message || "";
    if (s.state === "done") {
      progress.hidden = true;
      if (s.download_url) {
        link.href = s.download_url;
        link.textContent = "Download " + s.result_name;
        download.hidden = false;
        link.focus();
      }
      return false;
    }
    return true;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (s) { if (update(s)) setTimeout(poll, 1500); })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
