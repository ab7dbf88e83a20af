"""An OCRmyPDF plugin that sends the OCR step's progress (pages done, pages) to the process that started the run
(evidence.ocr), which writes it to the job the document's page shows. Only the "OCR" step is sent: the others
(scanning, linearizing, checking) are quick and counted in other units."""

import math

from ocrmypdf import hookimpl

sender = None  # the pipe to the parent, set by evidence.ocr in the child before the run


class _PageProgress:
    def __init__(self, *, total=None, desc=None, unit=None, disable=False, **kwargs):
        self.counted = desc == "OCR" and unit == "page" and sender is not None
        self.total = int(total or 0)
        self.done = 0.0
        self.sent = -1

    def __enter__(self):
        self._send()
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        return False

    def update(self, n=1, *, completed=None):
        self.done = completed if completed is not None else self.done + n
        self._send()

    def _send(self):
        pages = math.floor(self.done + 1e-9)  # a page counts once Tesseract and its text layer are both done
        if self.counted and pages != self.sent:
            self.sent = pages
            sender.send(("progress", (min(pages, self.total), self.total)))


@hookimpl
def get_progressbar_class():
    return _PageProgress
