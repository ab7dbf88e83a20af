"""The form renderer (settings.FORM_RENDERER): Django's, with its commonest widget templates written in Python.

Every widget of every form is drawn through Django's template language: an <input> through two templates, each box
of a checkbox list through four, each <option> of a select through one more. The timeline's filters (a box per kind,
status, issue and actor of the matter) and the event form (its selects of actors, issues and documents) spent a fifth
to a half of their pages' CPU there. The writers below give the same HTML, byte for byte (tests/forms/
test_renderer.py compares them with the templates for each widget), from the same context the widget prepares.

A template an installed app overrides, and every template not written here, is rendered as Django renders it.
"""

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.html import conditional_escape

WIDGETS = "django/forms/widgets/"
DJANGO_FORMS_TEMPLATES = str(Path(django.forms.__file__).parent / "templates")


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{conditional_escape(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html, without the newline that ends the file."""
    value = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _box(option: dict) -> str:
    """checkbox_option.html and radio_option.html: input_option.html, then the newlines that end each file."""
    if not option["wrap_label"]:
        return _input(option) + "\n\n\n"
    label_for = f' for="{conditional_escape(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(option)}\n {conditional_escape(option['label'])}</label>\n\n"


def _multiple_input(widget: dict) -> str:
    """django/forms/widgets/multiple_input.html (checkbox_select.html, radio.html)."""
    group_id, css = widget["attrs"].get("id"), widget["attrs"].get("class")
    html = ["<div", f' id="{conditional_escape(group_id)}"' if group_id else ""]
    html.append(f' class="{conditional_escape(css)}">' if css else ">")
    for group, options, _index in widget["optgroups"]:
        if group:
            html.append(f"\n  <div><label>{conditional_escape(group)}</label>")
        html.extend(f"<div>\n    {_box(option)}</div>" for option in options)
        if group:
            html.append("\n  </div>")
    html.append("\n</div>")
    return "".join(html)


def _select(widget: dict) -> str:
    """django/forms/widgets/select.html, each option as select_option.html writes it."""
    html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            html.append(f'\n  <optgroup label="{conditional_escape(group)}">')
        html.extend(
            f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>\n"
            for option in options
        )
        if group:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


def _textarea(widget: dict) -> str:
    """django/forms/widgets/textarea.html"""
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


_INPUTS = ("text", "email", "number", "password", "search", "url", "tel", "date", "time", "datetime", "hidden")
WRITERS = {
    **{f"{WIDGETS}{name}.html": _input for name in (*_INPUTS, "checkbox")},
    f"{WIDGETS}checkbox_select.html": _multiple_input,
    f"{WIDGETS}radio.html": _multiple_input,
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}textarea.html": _textarea,
}
OPTION_TEMPLATES = {f"{WIDGETS}{name}_option.html" for name in ("select", "checkbox", "radio")}
# What each writer stands for: were an installed app to override one of these, the writer is not used.
_WRITTEN_FROM = {
    _input: ("input.html", "attrs.html"),
    _multiple_input: ("multiple_input.html", "input_option.html", "checkbox_option.html", "radio_option.html"),
    _select: ("select.html", "select_option.html", "attrs.html"),
    _textarea: ("textarea.html", "attrs.html"),
}


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        writer = self._writers.get(template_name)
        if writer is None or not _options_drawn_as_djangos(context["widget"]):
            return super().render(template_name, context, request)
        return writer(context["widget"])

    @cached_property
    def _writers(self) -> dict:
        """WRITERS whose templates are Django's own here."""
        own = {}
        for template_name, writer in WRITERS.items():
            names = (template_name, *(WIDGETS + name for name in _WRITTEN_FROM[writer]))
            if all(self._is_djangos(name) for name in names):
                own[template_name] = writer
        return own

    def _is_djangos(self, template_name: str) -> bool:
        return self.get_template(template_name).origin.name.startswith(DJANGO_FORMS_TEMPLATES)


def _options_drawn_as_djangos(widget: dict) -> bool:
    """Whether each option (of a select or a list of boxes) is drawn by Django's own option template: a widget may
    name another (option_template_name)."""
    return all(
        option["template_name"] in OPTION_TEMPLATES
        for _group, options, _index in widget.get("optgroups", ())
        for option in options
    )
