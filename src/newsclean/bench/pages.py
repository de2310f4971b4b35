"""Generated pages for the reliability properties: realistic text and HTML, with junk.

Each page is made from a seed, so a failure is reproduced by its number alone, and the
same generator serves the hypothesis tests (a few seeds) and `benchmarks/reliability.py`
(thousands). Text pages are article sentences and site chrome in several languages, one
per line, with the junk scrapers leave: control characters, no-break and zero-width
spaces, entities, combining marks, separators, stray markup. HTML pages are real
element shapes (paragraphs, headings, lists, tables, links, inline elements side by
side, line breaks) filled with the same sentences.
"""

from __future__ import annotations

import html
import random

import regex

PROSE = (
    "The minister said the talks would resume next week in Geneva, after a pause of a month.",
    "Les exercices devraient durer du 30 août au 5 septembre, selon le ministère chinois.",
    "Die Bahn verweist darauf, dass die Arbeiten lange geplant gewesen seien.",
    "La medida permite recortar las dotaciones para riego hasta un 40 % este verano.",
    "Il ponte resterà chiuso da lunedì per almeno novanta giorni, dopo un'ispezione.",
    "De gemeente wil de nieuwe brug voor het einde van het jaar openen voor fietsers.",
    "O governo anunciou que o novo porto vai criar mais de mil empregos na região.",
    "Residents were told to keep windows closed while crews cleared the burned warehouse.",
    "What changes for drivers",
    "The diversion will work as follows:",
    "- lorries use the northern ring road;",
)
CHROME = (
    "Home » News » World",
    "By John Smith",
    "By Ann Lee, Transport Correspondent",
    "Share on Facebook",
    "Facebook Twitter Email Print",
    "Related Articles",
    "This website uses cookies to improve your experience. Accept Read More",
    "Publié à 6h38",
    "Updated 14 March 2025, 09:48 GMT",
    "Sign up for our daily newsletter",
    "3 Comments",
    "Advertisement",
    "© 2024 Example Media. All rights reserved.",
    "photo-1234.jpg",
)
JUNK = (
    "\x10",
    "\x00",
    "\x1b",
    "\u00a0",
    "\u00a0\u00a0\u00a0",
    "\u200b",
    "\u00ad",
    "\ufeff",
    "\t",
    "  ",
    "&amp;",
    "&nbsp;",
    "&#8217;",
    " | ",
    " » ",
    "\u0301",
    "\u0301\u0316",
    "…",
    "\r",
    "\u2028",
    "<br>",
    "&lt;b&gt;",
    "é",
    "Ã©",
)
_WORD = regex.compile(r"\w+")


def text_page(seed: int) -> str:
    """A scraped text page: sentences and chrome on lines, some with junk inserted."""
    rng = random.Random(seed)
    lines = []
    for _ in range(rng.randint(1, 14)):
        line = rng.choice(PROSE) if rng.random() < 0.6 else rng.choice(CHROME)
        for _ in range(rng.choice((0, 0, 1, 2))):
            at = rng.randint(0, len(line))
            line = line[:at] + rng.choice(JUNK) + line[at:]
        lines.append(line)
    return rng.choice(("\n", "\n\n", "\r\n")).join(lines)


def _inline(rng: random.Random, text: str) -> str:
    """Text with some words wrapped in inline elements, adjacent ones included."""
    words = text.split(" ")
    out = []
    for word in words:
        roll = rng.random()
        if roll < 0.08:
            out.append(f'<a href="/x">{html.escape(word)}</a>')
        elif roll < 0.14:
            out.append(f"<b>{html.escape(word)}</b>")
        elif roll < 0.17 and len(word) > 3:
            half = len(word) // 2
            out.append(f"<span>{html.escape(word[:half])}</span><i>{html.escape(word[half:])}</i>")
        else:
            out.append(html.escape(word))
    return " ".join(out)


def html_page(seed: int) -> str:
    """An HTML page of real element shapes around article paragraphs (an article does
    not repeat its sentences: each is used once)."""
    rng = random.Random(seed)
    deck = rng.sample(PROSE, len(PROSE))

    def sentence() -> str:
        return deck.pop() if deck else rng.choice(PROSE[8:])

    title = sentence().split(",")[0]
    parts = [f"<html><head><title>{html.escape(title)}</title></head><body>"]
    if rng.random() < 0.5:
        parts.append('<nav><a href="/">Home</a> » <a href="/news">News</a></nav>')
    parts.append(f"<article><h1>{html.escape(title)}</h1>")
    for _ in range(rng.randint(1, 6)):
        kind = rng.random()
        if kind < 0.5:
            parts.append(f"<p>{_inline(rng, sentence())}</p>")
        elif kind < 0.6:
            parts.append(f"<h2>{html.escape(sentence())}</h2>")
        elif kind < 0.7:
            items = "".join(f"<li>{html.escape(sentence())}</li>" for _ in range(2))
            parts.append(f"<ul>{items}</ul>")
        elif kind < 0.8:
            cells = [html.escape(w) for w in sentence().split()[:4]]
            rows = "".join(
                "<tr>" + "".join(f"<td>{c}</td>" for c in rng.sample(cells, len(cells))) + "</tr>"
                for _ in range(2)
            )
            parts.append(f"<table>{rows}</table>")
        elif kind < 0.9:
            parts.append(f"<p>{html.escape(sentence())}<br>{html.escape(sentence())}</p>")
        elif kind < 0.95:
            parts.append(f"<p>{html.escape(rng.choice(CHROME))}</p>")
        else:  # block elements side by side with no white space between them
            first, second = (html.escape(sentence()) for _ in range(2))
            parts.append(f"<div><div>{first}</div><div>{second}</div></div>")
    parts.append("</article>")
    if rng.random() < 0.5:
        parts.append("<footer><p>© 2024 Example Media. All rights reserved.</p></footer>")
    parts.append("</body></html>")
    return "".join(parts)


_INLINE_TAG = regex.compile(r"</?(?:a|b|i|em|strong|span|small|u|mark)\b[^<>]*>", regex.IGNORECASE)
_ANY_TAG = regex.compile(r"<[^<>]*>")
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def words(text: str) -> set[str]:
    """The case-folded words of a text (what 'never invents words' compares)."""
    return set(_WORD.findall(text.casefold()))


def source_words(page: str, is_html: bool) -> set[str]:
    """The words a reader of the page sees: for HTML, inline elements join their
    neighbours (`<b>re</b>sume` is one word) and every other tag separates words;
    control characters may be dropped, joining what stood on either side."""
    if is_html:
        page = html.unescape(_ANY_TAG.sub(" ", _INLINE_TAG.sub("", page)))
    return words(page) | words(_CONTROL.sub("", page))


def invented_words(page: str, is_html: bool, text: str, repairs: list[str]) -> set[str]:
    """Words of the output that are neither on the page nor written by a recorded repair."""
    allowed = source_words(page, is_html)
    for after in repairs:
        allowed |= words(after)
    return words(text) - allowed


__all__ = ["html_page", "invented_words", "source_words", "text_page", "words"]
