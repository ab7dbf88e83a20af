"""{% load evidence_names %}: `{{ event.title|shown }}` writes out the bidi controls of a name or title, visibly."""

from django import template

from evidence import text

register = template.Library()


@register.filter
def shown(value):
    return text.shown(str(value) if value is not None else "")
