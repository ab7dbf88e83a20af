"""{% load evidence_names %}: `{{ document.original_filename|shown }}` writes out the bidi controls of a name."""

from django import template

from evidence import filenames

register = template.Library()


@register.filter
def shown(text):
    return filenames.shown(str(text) if text is not None else "")
