/* The document viewer (templates/evidence/documents/viewer.html).

   PDFs are drawn by pdf.js, vendored under static/vendor/pdfjs (scripts/vendor-pdfjs): every file it loads (itself,
   its worker, character maps, standard fonts, image decoders) comes from this app's static files, named by the page
   in data attributes, so the Content-Security-Policy can stay 'self' only. It runs without eval and without
   WebAssembly (the JavaScript image decoders), and without the PDF's own scripts or forms.

   Texts, HTML pages and e-mails arrive as paragraphs already escaped by the template; this script only finds words
   in them and marks them with DOM nodes (never innerHTML). The "cite" form works without this script; the script
   keeps its pinpoint on the page or paragraph being read and fills in selected text. */

const root = document.getElementById("viewer");
const $ = (id) => document.getElementById(id);

const MAX_SELECTION = 10000; // as FromViewerForm.DESCRIPTION_MAX
const citeForm = $("cite-form");
const pinpointInput = $("cite-pinpoint");
const selectionButton = $("event-from-selection");
const selectionPreview = $("selection-preview");
let selected = { text: "", pinpoint: "" };
let pinpointTyped = false; // once the reader types a pinpoint of their own, following the page stops overwriting it

if (pinpointInput) {
  pinpointInput.addEventListener("input", () => { pinpointTyped = true; });
}

function followPinpoint(value) {
  if (pinpointInput && !pinpointTyped) pinpointInput.value = value;
}

function showSelection(text, pinpoint) {
  if (!selectionButton) return;
  selected = { text: text.slice(0, MAX_SELECTION), pinpoint };
  selectionButton.disabled = !text;
  selectionPreview.textContent = text
    ? `“${text.length > 240 ? text.slice(0, 240) + "…" : text}”${pinpoint ? " (" + pinpoint + ")" : ""}`
    : "Select text in the document to start an event from it.";
  selectionPreview.classList.toggle("muted", !text);
}

if (selectionButton) {
  selectionButton.addEventListener("click", () => {
    if (!selected.text) return;
    $("cite-description").value = selected.text;
    $("cite-event").value = "new";
    if (selected.pinpoint) pinpointInput.value = selected.pinpoint;
    citeForm.submit();
  });
  // Pressing the button may clear the selection: it is read as it is made, and an empty one does not replace it.
  const read = () => {
    const selection = window.getSelection();
    const text = selection ? selection.toString().replace(/\s+/g, " ").trim() : "";
    if (!text) return;
    const stage = document.querySelector(".stage");
    if (!stage || !stage.contains(selection.anchorNode)) return;
    showSelection(text, pinpointOf(selection.anchorNode));
  };
  document.addEventListener("mouseup", read);
  document.addEventListener("keyup", read);
  let pending = null;
  document.addEventListener("selectionchange", () => { clearTimeout(pending); pending = setTimeout(read, 150); });
}

function pinpointOf(node) {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  const page = element && element.closest(".page[data-page-number]");
  if (page) return `p. ${page.dataset.pageNumber}`;
  const paragraph = element && element.closest(".para");
  if (paragraph) return paragraphPinpoint(paragraph);
  return "";
}

function paragraphPinpoint(paragraph) {
  // A paragraph that carries no number of its own is cited by the numbered one it follows.
  for (let p = paragraph; p; p = p.previousElementSibling) {
    if (p.dataset && p.dataset.number) return `¶ ${p.dataset.number}`;
  }
  return "";
}

// PDF -------------------------------------------------------------------------------------------------------------

async function startPdf() {
  const data = root.dataset;
  const pdfjsLib = await import(data.pdfjs);
  const { EventBus, PDFLinkService, PDFFindController, PDFViewer, LinkTarget, FindState } = await import(data.pdfjsViewer);
  pdfjsLib.GlobalWorkerOptions.workerSrc = data.pdfjsWorker;

  const container = $("pdf-container");
  const eventBus = new EventBus();
  const linkService = new PDFLinkService({ eventBus, externalLinkTarget: LinkTarget.BLANK, externalLinkRel: "noopener noreferrer nofollow" });
  const findController = new PDFFindController({ eventBus, linkService });
  const viewer = new PDFViewer({
    container, viewer: $("pdf-viewer"), eventBus, linkService, findController,
    annotationMode: pdfjsLib.AnnotationMode.ENABLE, // links shown; forms neither filled nor run
  });
  linkService.setViewer(viewer);

  const loading = pdfjsLib.getDocument({
    url: data.file,
    cMapUrl: data.pdfjsCmaps, cMapPacked: true, standardFontDataUrl: data.pdfjsFonts,
    wasmUrl: data.pdfjsWasm, iccUrl: data.pdfjsIccs, useWasm: false,
    isEvalSupported: false, enableXfa: false,
    disableRange: true, // one request, one entry in the access log
  });
  let pdf;
  try {
    pdf = await loading.promise;
  } catch (error) {
    const box = $("pdf-error");
    box.textContent = `This PDF could not be shown (${error.message}). Download it to open it.`;
    box.hidden = false;
    return;
  }
  const startPage = Math.min(parseInt(data.startPage || "1", 10) || 1, pdf.numPages);
  const pageInput = $("page-number");
  pageInput.max = String(pdf.numPages);
  $("page-count").textContent = `of ${pdf.numPages}`;

  eventBus.on("pagesinit", () => {
    viewer.currentScaleValue = "page-width";
    viewer.currentPageNumber = startPage;
    showPage(startPage);
    root.dataset.ready = "true";
  });
  eventBus.on("pagechanging", (event) => showPage(event.pageNumber));
  eventBus.on("scalechanging", (event) => showScale(event.scale, event.presetValue));
  viewer.setDocument(pdf);
  linkService.setDocument(pdf, null);

  function showPage(number) {
    pageInput.value = String(number);
    $("prev-page").disabled = number <= 1;
    $("next-page").disabled = number >= pdf.numPages;
    followPinpoint(`p. ${number}`);
    highlightThumbnail(number);
  }
  pageInput.addEventListener("change", () => {
    const number = parseInt(pageInput.value, 10);
    if (number >= 1 && number <= pdf.numPages) viewer.currentPageNumber = number;
    else pageInput.value = String(viewer.currentPageNumber);
  });
  $("prev-page").addEventListener("click", () => viewer.previousPage());
  $("next-page").addEventListener("click", () => viewer.nextPage());

  // Zoom: the presets of the list, or a step in or out from whatever scale the page has now.
  const zoom = $("zoom");
  const custom = $("zoom-custom");
  function showScale(scale, preset) {
    if (preset && [...zoom.options].some((o) => o.value === preset)) {
      zoom.value = preset;
    } else {
      const exact = [...zoom.options].find((o) => Math.abs(parseFloat(o.value) - scale) < 0.001);
      if (exact) zoom.value = exact.value;
      else {
        custom.textContent = `${Math.round(scale * 100)}%`;
        custom.value = "custom";
        zoom.value = "custom";
      }
    }
  }
  zoom.addEventListener("change", () => {
    if (zoom.value !== "custom") viewer.currentScaleValue = zoom.value;
  });
  $("zoom-in").addEventListener("click", () => viewer.increaseScale());
  $("zoom-out").addEventListener("click", () => viewer.decreaseScale());

  // Find in the document: pdf.js's own find controller highlights every match and scrolls to the current one.
  const findText = $("find-text");
  const findStatus = $("find-status");
  function find(again, previous) {
    const query = findText.value.trim();
    if (!query) { findStatus.textContent = ""; return; }
    eventBus.dispatch("find", {
      source: findText, type: again ? "again" : "", query, caseSensitive: false, entireWord: false,
      highlightAll: true, findPrevious: previous, matchDiacritics: false,
    });
  }
  $("find-form").addEventListener("submit", (event) => { event.preventDefault(); find(true, false); });
  $("find-prev").addEventListener("click", () => find(true, true));
  findText.addEventListener("input", () => find(false, false));
  const showMatches = ({ matchesCount }) => {
    if (matchesCount && matchesCount.total) {
      findStatus.textContent = `${matchesCount.current} of ${matchesCount.total} match${matchesCount.total === 1 ? "" : "es"}`;
    }
  };
  eventBus.on("updatefindmatchescount", showMatches);
  eventBus.on("updatefindcontrolstate", (event) => {
    if (event.state === FindState.NOT_FOUND) findStatus.textContent = "Not found";
    else if (event.state === FindState.PENDING) findStatus.textContent = "Searching…";
    else showMatches(event);
  });

  buildThumbnails(pdf, (number) => { viewer.currentPageNumber = number; });
}

// Thumbnails: one button a page, drawn when it scrolls into the strip (a 500-page exhibit draws what is seen).
const THUMB_WIDTH = 104;
function buildThumbnails(pdf, go) {
  const strip = $("thumbnails");
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      observer.unobserve(entry.target);
      drawThumbnail(pdf, entry.target);
    }
  }, { root: strip, rootMargin: "200px 0px" });
  for (let number = 1; number <= pdf.numPages; number++) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "thumb";
    button.dataset.page = String(number);
    button.setAttribute("aria-label", `Page ${number}`);
    const canvas = document.createElement("canvas");
    canvas.width = THUMB_WIDTH;
    canvas.height = Math.round(THUMB_WIDTH * 1.294); // Letter, until the page is drawn
    const label = document.createElement("span");
    label.textContent = String(number);
    button.append(canvas, label);
    button.addEventListener("click", () => go(number));
    strip.append(button);
    observer.observe(button);
  }
  highlightThumbnail(parseInt($("page-number").value, 10));
}

async function drawThumbnail(pdf, button) {
  const page = await pdf.getPage(parseInt(button.dataset.page, 10));
  const viewport = page.getViewport({ scale: 1 });
  const scale = THUMB_WIDTH / viewport.width;
  const ratio = window.devicePixelRatio || 1;
  const fitted = page.getViewport({ scale: scale * ratio });
  const canvas = button.querySelector("canvas");
  canvas.width = Math.floor(fitted.width);
  canvas.height = Math.floor(fitted.height);
  canvas.style.width = `${THUMB_WIDTH}px`;
  canvas.style.height = `${Math.floor(fitted.height / ratio)}px`;
  await page.render({ canvas, canvasContext: canvas.getContext("2d"), viewport: fitted }).promise;
  button.classList.add("drawn");
}

function highlightThumbnail(number) {
  const strip = $("thumbnails");
  if (!strip) return;
  for (const button of strip.querySelectorAll(".thumb[aria-current]")) button.removeAttribute("aria-current");
  const current = strip.querySelector(`.thumb[data-page="${number}"]`);
  if (!current) return;
  current.setAttribute("aria-current", "page");
  const top = current.offsetTop - strip.offsetTop;
  if (top < strip.scrollTop || top + current.offsetHeight > strip.scrollTop + strip.clientHeight) {
    strip.scrollTop = top - 8;
  }
}

// Text, HTML and e-mail ----------------------------------------------------------------------------------------------

function startText() {
  const stage = $("text-stage");
  const start = root.dataset.startParagraph;
  if (start) {
    const target = $(`para-${start}`);
    if (target) {
      target.classList.add("located");
      target.scrollIntoView({ block: "start" });
    }
  }
  stage.addEventListener("click", (event) => {
    const paragraph = event.target.closest(".para");
    if (!paragraph) return;
    const pin = paragraphPinpoint(paragraph);
    if (pin) followPinpoint(pin);
  });
  zoomBy(stage, "fontSize", [0.8, 0.9, 1, 1.15, 1.3, 1.5, 1.75, 2]);
  findInText(stage);
  root.dataset.ready = "true";
}

function findInText(stage) {
  const findText = $("find-text");
  const status = $("find-status");
  let marks = [];
  let current = -1;

  function clear() {
    for (const mark of marks) mark.replaceWith(document.createTextNode(mark.textContent));
    stage.normalize();
    marks = [];
    current = -1;
  }

  function search() {
    clear();
    const query = findText.value.trim().toLocaleLowerCase();
    if (!query) { status.textContent = ""; return; }
    const walker = document.createTreeWalker(stage, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (node.parentElement.closest(".para-text, .email-head dd") ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const lower = node.data.toLocaleLowerCase();
      let at = lower.indexOf(query);
      let rest = node;
      let offset = 0;
      while (at !== -1 && marks.length < 5000) {
        const match = rest.splitText(at - offset);
        rest = match.splitText(query.length);
        const mark = document.createElement("mark");
        mark.textContent = match.data;
        match.replaceWith(mark);
        marks.push(mark);
        offset = at + query.length;
        at = lower.indexOf(query, offset);
      }
    }
    if (!marks.length) { status.textContent = "Not found"; return; }
    go(0);
  }

  function go(index) {
    if (!marks.length) return;
    if (current >= 0) marks[current].classList.remove("current");
    current = (index + marks.length) % marks.length;
    marks[current].classList.add("current");
    marks[current].scrollIntoView({ block: "center" });
    status.textContent = `${current + 1} of ${marks.length} match${marks.length === 1 ? "" : "es"}`;
  }

  let timer = null;
  findText.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 250); });
  $("find-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (current === -1) search(); else go(current + 1);
  });
  $("find-prev").addEventListener("click", () => go(current - 1));
}

// Images ------------------------------------------------------------------------------------------------------------

function startImage() {
  const image = $("image");
  const steps = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];
  const ready = () => {
    // Shown fitted to the window at first: the zoom says at what size, and steps on from there.
    image.dataset.fit = String(image.naturalWidth ? image.clientWidth / image.naturalWidth : 1);
    $("zoom-level").textContent = `${Math.round(zoomFactor(image) * 100)}%`;
    root.dataset.ready = "true";
  };
  zoomBy(image, "width", steps, () => `${Math.round(image.naturalWidth * zoomFactor(image))}px`);
  if (image.complete) ready();
  else image.addEventListener("load", ready);
}

function zoomFactor(element) {
  return parseFloat(element.dataset.zoom || element.dataset.fit || "1");
}

// Zoom for text (font size) and images (width): the steps of `steps`, shown in the toolbar.
function zoomBy(element, property, steps, valueOf) {
  const level = $("zoom-level");
  function apply(factor) {
    element.dataset.zoom = String(factor);
    element.style[property] = valueOf ? valueOf() : `${factor}em`;
    level.textContent = `${Math.round(factor * 100)}%`;
  }
  $("zoom-in").addEventListener("click", () => {
    const next = steps.find((s) => s > zoomFactor(element) + 0.001);
    if (next) apply(next);
  });
  $("zoom-out").addEventListener("click", () => {
    const next = [...steps].reverse().find((s) => s < zoomFactor(element) - 0.001);
    if (next) apply(next);
  });
}

const mode = root && root.dataset.mode;
if (mode === "pdf") startPdf();
else if (mode === "text" || mode === "email") startText();
else if (mode === "image") startImage();
