"""Start-up and cost growth: what a short-lived script or a serverless call pays.

    python benchmarks/startup.py [--repeats 3] [--sizes 1,10,100,1000]

Part one runs each case in a fresh Python process and prints the wall time of the whole
process (interpreter start included, as a user waits for it) and its peak RSS, beside
trafilatura's in the same run: `import newsclean`; the first `clean` of a text page; the
first `clean` of an HTML page and trafilatura's first `extract` of the same page; the
`newsclean clean` command on one file and trafilatura's command on the same HTML.

Part two builds text and HTML pages of about 1, 10, 100 and 1,000 KB from the corpus pages
(their lines repeated with numbers, so no two lines are the same) and prints the CPU time
per KB (of the page's actual size) of one `clean` of each in a warm process: the cost
should grow with the page, no faster.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT_PAGE = ROOT / "corpus" / "002_en_harbour_strike.txt"
HTML_PAGE = ROOT / "corpus" / "015_en_rail.html"
BIN = Path(sys.executable).parent

_RSS = (
    "import resource, sys\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
)


def _python(code: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of a fresh interpreter running `code`."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\n{_RSS}"], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - start
    return seconds, int(done.stderr.strip().splitlines()[-1])


def _command(args: list[str], stdin: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of a command, measured by a small wrapper process."""
    code = (
        "import resource, subprocess, sys, time\n"
        f"args = {args!r}\n"
        f"stdin = open({str(stdin)!r}, 'rb') if {stdin is not None!r} else None\n"
        "start = time.perf_counter()\n"
        "subprocess.run(args, stdin=stdin, stdout=subprocess.DEVNULL, check=True)\n"
        "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, rss = done.stdout.split()
    return float(seconds), int(rss)


def _median(runs: list[tuple[float, int]]) -> tuple[float, int]:
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def start_up(repeats: int) -> None:
    cases = {
        "import newsclean": lambda: _python("import newsclean"),
        "first clean, text page": lambda: _python(
            f"import newsclean; newsclean.clean(open({str(TEXT_PAGE)!r}).read())"
        ),
        "first clean, HTML page": lambda: _python(
            f"import newsclean; newsclean.clean(open({str(HTML_PAGE)!r}, 'rb').read())"
        ),
        "trafilatura first extract, same HTML": lambda: _python(
            f"import trafilatura; trafilatura.extract(open({str(HTML_PAGE)!r}).read())"
        ),
        "newsclean clean FILE (text page)": lambda: _command(
            [str(BIN / "newsclean"), "clean", str(TEXT_PAGE)]
        ),
        "newsclean clean FILE (HTML page)": lambda: _command(
            [str(BIN / "newsclean"), "clean", str(HTML_PAGE)]
        ),
        "trafilatura < FILE (same HTML)": lambda: _command(
            [str(BIN / "trafilatura")], stdin=HTML_PAGE
        ),
    }
    print(f"{'fresh process':42}{'wall s (median)':>16}{'peak RSS MB':>13}")
    for name, case in cases.items():
        seconds, rss = _median([case() for _ in range(repeats)])
        print(f"{name:42}{seconds:>16.2f}{rss / 1024:>13.0f}")


def _grown(kind: str, kb: int) -> str | bytes:
    """A page of about `kb` KB made of the corpus page's lines, each copy numbered."""
    if kind == "text":
        lines = [line for line in TEXT_PAGE.read_text("utf-8").splitlines() if line.strip()]
        out: list[str] = []
        size = 0
        copy = 0
        while size < kb * 1024:
            copy += 1
            for line in lines:
                text = f"{line} ({copy})" if len(line) > 40 else line
                out.append(text)
                size += len(text) + 2
        return "\n\n".join(out)
    html = HTML_PAGE.read_text("utf-8")
    head, _, rest = html.partition("<body>")
    body, _, tail = rest.rpartition("</body>")
    parts = [head, "<body>"]
    size = len(head)
    copy = 0
    while size < kb * 1024:
        copy += 1
        section = f"<section id='part{copy}'>{body}</section>".replace("</p>", f" ({copy})</p>")
        parts.append(section)
        size += len(section)
    parts.append("</body>" + tail)
    return "".join(parts)


def growth(sizes: list[int]) -> None:
    import newsclean

    pipe = newsclean.default_pipeline()
    for kind in ("text", "html"):  # what loads on first need is loaded before the timing
        pipe.clean(_grown(kind, 2))
    print(f"\n{'page size':>10}{'text ms/KB':>12}{'HTML ms/KB':>12}")
    for kb in sizes:
        row = []
        for kind in ("text", "html"):
            page = _grown(kind, kb)
            size = len(page.encode("utf-8") if isinstance(page, str) else page) / 1024
            pipe.forget()
            start = time.process_time()
            pipe.clean(page)
            row.append(1000 * (time.process_time() - start) / size)
        print(f"{kb:>8} KB{row[0]:>12.2f}{row[1]:>12.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="1,10,100,1000")
    args = parser.parse_args()
    start_up(args.repeats)
    growth([int(s) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()
