"""Spaces inside a line: runs of spaces and tabs become one space, edges are trimmed.

Text arrives with its whitespace as it came, because encoding damage lives in it: a
no-break space lost in a mojibake pair (`Ã` + space) is told from the word space after
it only while both are there. The repair step therefore reads the lines untouched and
tidies them with `tidy_line` once it has repaired them; no other step needs the runs.
A no-break space inside a line is kept (French typography, numbers), as the normalise
step keeps it, so that cleaning is idempotent.
"""

from __future__ import annotations

import regex

_SPACES = regex.compile(r"[ \t\x0b\x0c]+")
EDGE_SPACE = " \t\x0b\x0c"


def needs_tidy(line: str) -> bool:
    """Whether `tidy_line` would change `line` (cheap: no regex)."""
    return (
        "  " in line
        or "\t" in line
        or "\x0b" in line
        or "\x0c" in line
        or line[:1] == " "
        or line[-1:] == " "
    )


def tidy_line(line: str) -> str:
    """`line` with runs of spaces and tabs as one space and no space at its edges."""
    if not needs_tidy(line):
        return line
    return _SPACES.sub(" ", line).strip(EDGE_SPACE)
