"""The import preview's mapping form: what each unrecognised column gives, and what each unknown value means.

Built from a preview (importing.tasks.preview_data), one choice per column and per value, in the order the preview
lists them; initially what the preview used. `changes()` is what the user changed, as a Mapping.
"""

from django import forms

from evidence.importing.mapping import Mapping, column_targets, value_targets


class ImportMappingForm(forms.Form):
    def __init__(self, *args, preview: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = preview.get("columns", [])
        self.unknown_values = preview.get("unknown_values", [])
        for i, column in enumerate(self.columns):
            self.fields[f"column_{i}"] = forms.ChoiceField(
                label=column["header"], choices=column_targets(), initial=column["field"], required=False
            )
        for i, unknown in enumerate(self.unknown_values):
            self.fields[f"value_{i}"] = forms.ChoiceField(
                label=f"{unknown['field']} “{unknown['label']}”",
                choices=value_targets(unknown["field"]),
                initial=unknown["target"],
            )

    def rows(self):
        """(column or unknown value as previewed, its bound field), for the template's two tables."""
        return (
            [(column, self[f"column_{i}"]) for i, column in enumerate(self.columns)],
            [(unknown, self[f"value_{i}"]) for i, unknown in enumerate(self.unknown_values)],
        )

    def changes(self) -> Mapping:
        """What the user changed from the preview (after is_valid())."""
        mapping = Mapping()
        for i, column in enumerate(self.columns):
            if f"column_{i}" in self.changed_data:
                mapping.set_column(column["header"], self.cleaned_data[f"column_{i}"])
        for i, unknown in enumerate(self.unknown_values):
            if f"value_{i}" in self.changed_data:
                mapping.set_value(unknown["field"], unknown["label"], self.cleaned_data[f"value_{i}"])
        return mapping
