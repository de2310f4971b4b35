"""ftfy's own test cases, run through newsclean's repair step.

Every case marked `"expect": "pass"` in `tests/test-cases/*.json` (in-the-wild, synthetic,
negative, language-names; known-failures are all `"fail"`) is counted.

The comparison. `fixed` is what `ftfy.fix_text` gives with its defaults, which include
fixes that change format rather than repair damage: curly quotes straightened, full-width
characters narrowed, ligatures split, line breaks unified, NFC. Our repair step turns those
off on purpose (normalise owns whitespace and Unicode form; quotes are an option). So a
case passes when our repaired text, put through exactly those format-only fixes and
nothing else, equals `fixed`; and, as ftfy's own tests require, repairing `fixed` itself
changes nothing (again up to those format-only fixes). `fixed-encoding`
(`ftfy.fix_encoding`) is not the target: it leaves HTML entities and C1 controls alone,
which our repair step does fix.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import DatasetError
from . import Result

_FILES = ("in-the-wild", "synthetic", "negative", "language-names", "known-failures")


def load(path: str | Path) -> list[dict[str, Any]]:
    """Every case, each with its file name under `file`; `path` is the ftfy folder,
    its `tests/test-cases` folder, or one JSON file."""
    root = Path(path)
    if root.is_file():
        files = [root]
    else:
        for candidate in (root, root / "tests" / "test-cases", root / "test-cases"):
            if (candidate / "in-the-wild.json").exists():
                root = candidate
                break
        else:
            raise DatasetError(f"{path}: no ftfy test-cases folder found")
        files = [root / f"{name}.json" for name in _FILES if (root / f"{name}.json").exists()]
    cases: list[dict[str, Any]] = []
    for file in files:
        try:
            for case in json.loads(file.read_text("utf-8")):
                cases.append({**case, "file": file.stem})
        except (OSError, ValueError) as exc:
            raise DatasetError(f"{file}: {exc}") from None
    return cases


def format_only(text: str) -> str:
    """ftfy's format-changing fixes and nothing else."""
    from ftfy import TextFixerConfig, fix_text

    config = TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=False,
        restore_byte_a0=False,
        replace_lossy_sequences=False,
        decode_inconsistent_utf8=False,
        fix_c1_controls=False,
        fix_latin_ligatures=True,
        fix_character_width=True,
        uncurl_quotes=True,
        fix_line_breaks=True,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization="NFC",
    )
    return str(fix_text(text, config))


def run(path: str, **_: Any) -> Result:
    """Run the expected-pass cases at `path` through the repair step."""
    from ..cleaners.encoding import repair_document

    cases = [c for c in load(path) if c.get("expect") == "pass"]
    result = Result("ftfy")
    passed = 0
    failures: list[str] = []
    by_file: dict[str, list[int]] = {}
    for case in cases:
        repaired, _changes = repair_document(case["original"])
        again, _again = repair_document(case["fixed"])
        ok = format_only(repaired) == case["fixed"] and format_only(again) == case["fixed"]
        counts = by_file.setdefault(case["file"], [0, 0])
        counts[0] += ok
        counts[1] += 1
        passed += ok
        if not ok:
            failures.append(f"{case['file']}: {case.get('label', '?')}: {repaired!r}")
    result.figures.update(cases=len(cases), passed=passed)
    result.lines.append(f"ftfy expected-pass cases: {passed}/{len(cases)} pass")
    for name, (ok, total) in by_file.items():
        result.lines.append(f"  {name:16} {ok}/{total}")
    result.lines.extend("  FAIL " + line for line in failures)
    result.details["failures"] = failures
    return result
