from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat


class CaptureImportForm(forms.Form):
    file = forms.FileField(
        label="Web archive or ZIP",
        help_text="A WARC (.warc, .warc.gz) or WACZ file: each archived response for the source's URL becomes a "
        "version, dated by its archived time. Or a ZIP of captured files with a manifest.csv (file, captured at, "
        "first seen, effective, capture method, audiences, note).",
        error_messages={"required": "Choose a WARC, WACZ or ZIP file."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CAPTURES_MAX_FILE_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"“{upload.name}” is {filesizeformat(upload.size)}; the limit for a web-archive file is "
                f"{filesizeformat(limit)}. Split the crawl, or import it with the import_captures command."
            )
        return upload
