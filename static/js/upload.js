/* Upload page enhancement: drag and drop several files, and a progress bar while they are sent.
   Without this script the form still works: a plain multipart POST of <input type=file multiple>.
   The script posts the same form to the same view with XMLHttpRequest (for upload.onprogress) and shows the
   per-file results the view returns as JSON. Vendored, no dependencies. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var input = form.querySelector("input[type=file]");
  var zone = document.getElementById("dropzone");
  var list = document.getElementById("file-list");
  var progress = document.getElementById("upload-progress");
  var bar = document.getElementById("progress-bar");
  var barText = document.getElementById("progress-text");
  var results = document.getElementById("upload-results");
  var button = document.getElementById("upload-button");
  var chosen = [];

  function human(n) {
    var units = ["bytes", "KB", "MB", "GB"], i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
  }

  function syncInput() {
    // Keep the input's own file list equal to what was chosen, so a plain submit sends the same files.
    try {
      var transfer = new DataTransfer();
      chosen.forEach(function (f) { transfer.items.add(f); });
      input.files = transfer.files;
    } catch (e) { /* older browsers: the XHR path below sends `chosen` itself */ }
  }

  function render() {
    list.textContent = "";
    chosen.forEach(function (file, i) {
      var li = document.createElement("li");
      var name = document.createElement("span");
      name.textContent = file.name + " (" + human(file.size) + ")";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove " + file.name);
      remove.addEventListener("click", function () { chosen.splice(i, 1); syncInput(); render(); });
      li.appendChild(name);
      li.appendChild(remove);
      list.appendChild(li);
    });
  }

  function add(files) {
    Array.prototype.forEach.call(files, function (file) {
      var same = chosen.some(function (f) { return f.name === file.name && f.size === file.size && f.lastModified === file.lastModified; });
      if (!same) chosen.push(file);
    });
    syncInput();
    render();
  }

  input.addEventListener("change", function () {
    var picked = Array.prototype.slice.call(input.files);
    chosen = [];
    add(picked);
  });

  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("dragover"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.remove("dragover"); });
  });
  zone.addEventListener("drop", function (e) {
    if (e.dataTransfer && e.dataTransfer.files) add(e.dataTransfer.files);
  });

  function showResults(items) {
    results.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = item.status;
      if (item.url) {
        var a = document.createElement("a");
        a.href = item.url;
        a.textContent = item.text;
        li.appendChild(a);
      } else {
        li.textContent = item.text;
      }
      results.appendChild(li);
    });
  }

  form.addEventListener("submit", function (e) {
    if (!chosen.length) return; // let the server say "Choose at least one file"
    e.preventDefault();
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    chosen.forEach(function (file) { data.append(input.name, file, file.name); });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("Accept", "application/json");
    progress.hidden = false;
    bar.value = 0;
    barText.textContent = "0%";
    button.disabled = true;
    xhr.upload.onprogress = function (ev) {
      if (!ev.lengthComputable) return;
      var pct = Math.round((ev.loaded / ev.total) * 100);
      bar.value = pct;
      bar.textContent = pct + "%";
      barText.textContent = pct < 100 ? pct + "% of " + human(ev.total) : "Received; fingerprinting and numbering…";
    };
    xhr.onload = function () {
      button.disabled = false;
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        bar.value = 100;
        barText.textContent = "Done.";
        var items = body.results.slice();
        if (body.next) items.push({ status: "next", text: body.next_text || "Go to the documents", url: body.next });
        showResults(items);
        // the number just used is not the next one any more
        var nextExhibit = document.getElementById("next-exhibit");
        if (nextExhibit && body.next_exhibit) nextExhibit.textContent = body.next_exhibit;
        chosen = [];
        syncInput();
        render();
      } else {
        barText.textContent = "";
        showResults([{ status: "error", text: (body && body.error) || "The upload failed (" + xhr.status + "). Nothing was lost on your computer; try again." }]);
      }
    };
    xhr.onerror = function () {
      button.disabled = false;
      barText.textContent = "";
      showResults([{ status: "error", text: "The connection was lost during the upload; try again." }]);
    };
    xhr.send(data);
  });
})();
