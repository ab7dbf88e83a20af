"""What a matter's court wants of a filing: how exhibits are cited, the attorney's signature block, and the largest
file its e-filing system takes (CM/ECF: 35 MB in C.D. Cal., S.D.N.Y. and N.D. Ill., 30–50 MB elsewhere)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from evidence.models.matters import Matter

DEFAULT_FILE_LIMIT_MB = 35


class CitationForm(models.TextChoices):
    EX = "ex", "Ex. 3 at 4"
    EXHIBIT = "exhibit", "Exhibit 3 at 4"
    LABEL = "label", "PX-3 at 4 (the matter's exhibit prefix)"


class FilingSettings(models.Model):
    """One per matter, made with its defaults when first asked for (selectors.filing_settings_of)."""

    matter = models.OneToOneField(Matter, on_delete=models.CASCADE, related_name="filing_settings")
    citation_form = models.CharField(
        "citations in the filing version",
        max_length=10,
        choices=CitationForm.choices,
        default=CitationForm.EX,
        help_text="How the filing version and the filing package name an exhibit and its pinpoint.",
    )
    file_limit_mb = models.PositiveIntegerField(
        "court's file size limit (MB)",
        default=DEFAULT_FILE_LIMIT_MB,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="The largest PDF the court's e-filing system accepts; larger exhibits are split into parts.",
    )
    signature_block = models.TextField(
        "attorney signature block",
        blank=True,
        help_text="One line each, as it should print: “/s/ Jane Doe”, “Jane Doe (SBN 123456)”, the firm, its "
        "address, “Attorneys for Plaintiff”.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "filing settings"
        verbose_name_plural = "filing settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(citation_form__in=CitationForm.values), name="filing_citation_form_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(file_limit_mb__gte=1, file_limit_mb__lte=1000), name="filing_file_limit_range"
            ),
        ]

    def __str__(self):
        return f"Filing settings of {self.matter}"

    @property
    def file_limit_bytes(self) -> int:
        return self.file_limit_mb * 1_000_000  # the smaller reading of "MB": a file under it passes either way

    def exhibit_label(self, document) -> str:
        """ "Ex. 3", "Exhibit 3" or "PX-3", as the matter cites exhibits in a filing."""
        if self.citation_form == CitationForm.LABEL:
            return document.exhibit_label
        word = "Exhibit" if self.citation_form == CitationForm.EXHIBIT else "Ex."
        return f"{word} {document.exhibit_number}"
