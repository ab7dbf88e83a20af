"""{% load evidence_redline %}: `{{ field.segments|redline }}` prints word-level differences (evidence.editions.words)
as the compare page and the redline PDF both show them: inserted text underlined in <ins> and marked [+…+],
deleted text struck through in <del> and marked [-…-], so that the marks survive printing in black and white,
copying, and pdftotext. Every piece of text is escaped; line breaks become <br>."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

_MARKS = {"+": ("ins", "[+", "+]"), "-": ("del", "[-", "-]")}


def _text(text: str) -> str:
    return conditional_escape(text).replace("\n", "<br>")


@register.filter
def redline(segments) -> str:
    parts = []
    for segment in segments:
        if segment.op == "=":
            parts.append(_text(segment.text))
            continue
        tag, start, end = _MARKS[segment.op]
        parts.append(
            f'<{tag}><span class="mark">{start}</span>{_text(segment.text)}<span class="mark">{end}</span></{tag}>'
        )
    return mark_safe("".join(parts))
