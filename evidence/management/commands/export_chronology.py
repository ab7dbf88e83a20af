"""python manage.py export_chronology --matter SLUG --out FILE [--report REPORT] [filters] [--user USERNAME]

A thin wrapper over evidence.exporting.export_chronology, which the export page and background jobs call too; the
service checks that the acting user may read the matter (and take privileged material out, for
--include-privileged and the privilege log). The filters and the report are the export page's form
(evidence.forms.filters.ExportForm), bound from the options: a filter added to the form is an option here too.
"""

from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from evidence.exporting import FORMATS, PAPERS, ExportOptions, export_chronology
from evidence.forms.filters import EMBEDDED_HELP, QUERY_NAMES, VERSION_CHOICES, EventFilterForm, ExportForm
from evidence.management.acting_user import acting_user, add_user_argument
from evidence.models import Matter
from evidence.services.access import access_export_produced
from evidence.services.editions import edition_record


def _flag(name: str, field) -> str:
    """The option of a filter: the timeline's query name for lists and date bounds ("--kind", "--from"), else the
    field's own name ("--key-only", "--include-privileged")."""
    short = isinstance(field, forms.MultipleChoiceField) or name in ("date_from", "date_to")
    return "--" + (QUERY_NAMES[name] if short else name).replace("_", "-")


FILTER_FIELDS = {**EventFilterForm.base_fields, "include_privileged": ExportForm.base_fields["include_privileged"]}
REPORT_FIELD = ExportForm.base_fields["report"]


class Command(BaseCommand):
    help = (
        "Export a matter's chronology as a court-ready PDF, or as CSV, XLSX or Word; or one of the attorney reports "
        "(facts by issue, cast of characters, exhibit list, privilege log) as PDF or Word. The chronology comes as a "
        "working copy, an internal version (--internal) or a filing version (--filing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--matter", required=True, help="The matter's slug.")
        parser.add_argument("--out", required=True, help="The file to write.")
        parser.add_argument("--format", choices=FORMATS, help="Default: from the file's extension, else pdf.")
        parser.add_argument(
            "--report",
            choices=[value for value, _ in REPORT_FIELD.choices],
            default="chronology",
            help="; ".join(f"{value}: {label}" for value, label in REPORT_FIELD.choices) + ". Default: chronology.",
        )
        for name, field in FILTER_FIELDS.items():
            help_text = f"{field.label}. {field.help_text}".strip()
            if isinstance(field, forms.BooleanField):
                parser.add_argument(_flag(name, field), dest=name, action="store_true", help=help_text)
            elif isinstance(field, forms.MultipleChoiceField):
                choices = [value for value, _ in field.choices] or None  # issues and actors: the matter's own
                parser.add_argument(_flag(name, field), dest=name, action="append", default=[], choices=choices,
                                    help=help_text + " Repeatable.")  # fmt: skip
            else:
                parser.add_argument(_flag(name, field), dest=name, default="", help=help_text)
        parser.add_argument(
            "--embed-exhibits", action="store_true", help=f"Attach each cited exhibit to the PDF. {EMBEDDED_HELP}"
        )
        parser.add_argument("--paper", choices=PAPERS, default="letter")
        versions = parser.add_mutually_exclusive_group()
        for value, label in VERSION_CHOICES[1:]:
            versions.add_argument(f"--{value}", dest="version", action="store_const", const=value, help=label + ".")
        parser.set_defaults(version="standard")
        parser.add_argument(
            "--no-timeline", action="store_true", help="Leave the visual timeline off the caption page."
        )
        parser.add_argument(
            "--no-signature", action="store_true", help="Leave the attorney signature block off the filing version."
        )
        parser.add_argument(
            "--source-redlines",
            action="store_true",
            help="Append to the chronology's PDF the redlines of the tracked sources the exported events cite.",
        )
        add_user_argument(parser)

    def handle(
        self, *args, matter, out, format, report, embed_exhibits, paper, user, version, no_timeline, no_signature,
        source_redlines, **options,
    ):  # fmt: skip
        matter_obj = Matter.objects.filter(slug=matter).first()
        if matter_obj is None:
            raise CommandError(f"No matter with the slug {matter!r}.")
        account = acting_user(user)
        out_path = Path(out)
        suffix = out_path.suffix.lstrip(".").lower()
        fmt = format or (suffix if suffix in FORMATS else "pdf")
        if embed_exhibits and fmt != "pdf":
            self.stderr.write("--embed-exhibits applies to PDF only; ignored.")
        data = {name: options[name] for name in FILTER_FIELDS}
        form = ExportForm(
            {
                **data,
                "format": fmt,
                "paper": paper,
                "report": report,
                "embed_exhibits": embed_exhibits and fmt == "pdf",
                "version": version,
                "timeline": not no_timeline,
                "signature": not no_signature,
                "source_redlines": source_redlines,
            },
            matter=matter_obj,
            formats=FORMATS,
        )
        if not form.is_valid():
            raise CommandError(_errors(form))
        export = ExportOptions(
            format=fmt,
            filters=form.to_filters(),
            embed_exhibits=form.cleaned_data["embed_exhibits"],
            paper=paper,
            report=form.cleaned_data["report"],
            version=form.cleaned_data["version"],
            timeline=form.cleaned_data["timeline"],
            signature=form.cleaned_data["signature"],
            source_redlines=form.cleaned_data["source_redlines"],
        )
        verbosity = options.get("verbosity", 1)

        def progress(done, total):
            if verbosity >= 2:
                self.stderr.write(f"{done}/{total}")

        try:
            result = export_chronology(matter=matter_obj, user=account, options=export, progress=progress)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        via = "export_chronology command"
        with transaction.atomic():
            access_export_produced(matter=matter_obj, user=account, options=export, result=result, via=via)
            edition = edition_record(matter=matter_obj, user=account, options=export, result=result, via=via)
        out_path.write_bytes(result.content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {out_path} ({len(result.content):,} bytes, {export.format})."))
        if edition is not None:
            self.stdout.write(f"Kept as edition {edition.number} of {matter_obj.slug} (SHA-256 {edition.sha256}).")
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))


def _errors(form) -> str:
    """The form's errors as the options that caused them: "--from: “Febtember 2024”: could not read …"."""
    parts = []
    for name, errors in form.errors.items():
        where = _flag(name, FILTER_FIELDS[name]) if name in FILTER_FIELDS else f"--{name.replace('_', '-')}"
        where = "--filing/--internal" if name == "version" else where
        parts.append(f"{where}: {' '.join(errors)}")
    return "; ".join(parts)
