"""Loaded once by the readers' fork server (evidence.importing.isolation): Django set up and every function that
reads an untrusted file imported, with the libraries they import when first called, so that each child forked from
the server has them already. It lives outside evidence.importing, whose package needs Django set up first."""

import django

django.setup()

import docx  # noqa: E402, F401
import openpyxl  # noqa: E402, F401
import pikepdf  # noqa: E402, F401
import pypdf  # noqa: E402, F401
from pypdf import _codecs, _crypt_providers, _text_extraction, filters  # noqa: E402, F401

from evidence import email_evidence, files, office_text  # noqa: E402, F401
from evidence.exporting import exhibits  # noqa: E402, F401
from evidence.importing import documents, reading  # noqa: E402, F401
from evidence.tracked import warc  # noqa: E402, F401
