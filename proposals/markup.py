"""The safe Markdown subset of proposal bodies: raw HTML is stripped on the way in, and the
subset (paragraphs, headings, lists, quotes, emphasis, code, http(s) links) is rendered to
HTML that nh3 sanitises once more on the way out."""
from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "h3", "h4", "ul", "ol", "li", "blockquote", "strong", "em", "code", "a", "br"}
_INLINE = [
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*(.+?)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?!\*)"), r"<em>\1</em>"),
    (re.compile(r"\[([^\]]+)\]\((https?://[^\s)]+)\)"), r'<a href="\2">\1</a>'),
]


def clean_source(text: str) -> str:
    """The stored Markdown: any HTML removed (script and style with their content)."""
    text = text or ""
    for _ in range(5):  # until stable: an escaped tag must not come back as a tag
        cleaned = html.unescape(nh3.clean(text, tags=set()))
        if cleaned == text:
            break
        text = cleaned
    return text


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def render(source: str) -> str:
    """HTML for the Markdown subset, sanitised by nh3 (links get rel=noopener noreferrer)."""
    out, para, items, kind = [], [], [], None

    def flush():
        nonlocal para, items, kind
        if para:
            out.append("<p>" + "<br>".join(_inline(line) for line in para) + "</p>")
        if items:
            out.append(f"<{kind}>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + f"</{kind}>")
        para, items, kind = [], [], None

    for raw in (source or "").splitlines():
        line = raw.strip()
        bullet = re.match(r"^[-*]\s+(.*)$", line)
        number = re.match(r"^\d+[.)]\s+(.*)$", line)
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        if not line:
            flush()
        elif heading:
            flush()
            level = "h3" if len(heading.group(1)) <= 2 else "h4"
            out.append(f"<{level}>{_inline(heading.group(2))}</{level}>")
        elif line.startswith(">"):
            flush()
            out.append(f"<blockquote>{_inline(line.lstrip('> '))}</blockquote>")
        elif bullet or number:
            wanted = "ul" if bullet else "ol"
            if para or (kind and kind != wanted):
                flush()
            kind = wanted
            items.append((bullet or number).group(1))
        else:
            if items:
                flush()
            para.append(line)
    flush()
    return nh3.clean("".join(out), tags=ALLOWED_TAGS, attributes={"a": {"href"}},
                     url_schemes={"http", "https"}, link_rel="noopener noreferrer nofollow")
