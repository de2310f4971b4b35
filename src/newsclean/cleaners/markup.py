"""Bounds on hostile markup, applied before any HTML parser sees a page.

Two shapes of markup make the parsers take time that grows with the square of the
input, and real pages never have them:

* a start tag with thousands of attributes: libxml2 compares each new attribute with
  every earlier one (430 kB of one tag took 22 s). A tag keeps its first
  `MAX_ATTRIBUTES` attributes; no real element has that many, so no real page changes;
* comments that never close, or very many comments: the fallback parser
  (`html.parser`) searches the rest of the page for `-->` from each `<!--`. Comments
  are removed here in one pass (every parser of the pipeline discards them anyway), and
  an unclosed one runs to the end of the page, as in a browser.

Both passes scan the text once.
"""

from __future__ import annotations

import re

import regex

MAX_ATTRIBUTES = 256
# A start tag long enough to hold more than MAX_ATTRIBUTES attributes (each at least
# three characters with its space); the run stops at the next `<` or `>`, so the scans
# never overlap.
_LONG_TAG = re.compile(r"<[A-Za-z][^<>]{" + str(3 * MAX_ATTRIBUTES) + r",}")
_OPENER = re.compile(r"<!--|<(script|style)\b", re.IGNORECASE)
_CLOSERS = {name: re.compile(rf"</{name}\b", re.IGNORECASE) for name in ("script", "style")}
_ATTRIBUTE = regex.compile(
    r"""\s*+[^\s"'<>/=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>`]++))?+"""
)


def bound_markup(html: str) -> str:
    """The page with comments removed and over-long attribute lists cut (see the module)."""
    if "<!--" in html:
        html = _without_comments(html)
    if len(html) > 2 * MAX_ATTRIBUTES:
        html = _LONG_TAG.sub(_cut_attributes, html)
    return html


def _without_comments(html: str) -> str:
    """Comments removed; an unclosed one cuts the page (what lxml and browsers show).

    Script and style elements are skipped whole: a `<!--` inside them is script text."""
    parts: list[str] = []
    at = 0
    while (opener := _OPENER.search(html, at)) is not None:
        start = opener.start()
        if opener.group(1):  # a raw-text element: keep it whole, up to its end tag
            close = _CLOSERS[opener.group(1).lower()]
            end = close.search(html, opener.end())
            if end is None:
                break
            parts.append(html[at : end.end()])
            at = end.end()
            continue
        parts.append(html[at:start])
        end_at = html.find("-->", start + 4)
        if end_at < 0:  # never closed: the comment runs to the end of the page
            return "".join(parts)
        at = end_at + 3
    parts.append(html[at:])
    return "".join(parts)


def _cut_attributes(match: re.Match[str]) -> str:
    tag = match.group(0)
    name_end = 1
    while name_end < len(tag) and not tag[name_end].isspace() and tag[name_end] != "/":
        name_end += 1
    kept = [tag[:name_end]]
    at = name_end
    for count, attribute in enumerate(_ATTRIBUTE.finditer(tag, at)):
        if attribute.start() != at:
            return tag  # not a plain list of attributes: left as written
        if count == MAX_ATTRIBUTES:
            break
        kept.append(attribute.group(0))
        at = attribute.end()
    else:
        return tag
    tail = tag[at:].rstrip()
    return "".join(kept) + (" /" if tail.endswith("/") else "")


__all__ = ["MAX_ATTRIBUTES", "bound_markup"]
