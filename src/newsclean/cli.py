"""The `newsclean` command: clean, explain, bench.

Errors become one line on stderr and a non-zero exit code; options come from
flags, then `--config FILE`, then the nearest newsclean.toml / [tool.newsclean].
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from .errors import ConfigError, NewscleanError

_COLOURS = {"kept": "\033[32m", "dropped": "\033[31m", "reset": "\033[0m", "dim": "\033[2m"}


def _parse_set(values: list[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for item in values:
        if "=" not in item:
            raise ConfigError(f"--set expects KEY=VALUE, got {item!r}")
        key, value = item.split("=", 1)
        options[key.strip()] = value.strip()
    return options


def _options(args: argparse.Namespace) -> dict[str, Any]:
    from .config import find_config, load_config

    options = load_config(Path(args.config)) if args.config else find_config()
    for name in ("lang", "foreign", "quotes"):
        value = getattr(args, name, None)
        if value is not None:
            options[name] = value
    options.update(_parse_set(args.set or []))
    return options


def _add_pipeline_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", help="language hint (ISO 639-1), e.g. fr")
    parser.add_argument("--foreign", choices=["keep", "drop", "mark"], help="foreign-language text")
    parser.add_argument("--quotes", choices=["keep", "straight", "curly"], help="quote style")
    parser.add_argument("--config", help="a newsclean.toml or pyproject.toml to read options from")
    parser.add_argument(
        "--set", action="append", metavar="KEY=VALUE", help="any pipeline option (repeatable)"
    )


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="newsclean", description="Clean scraped news pages into article bodies."
    )
    parser.add_argument("--version", action="version", version=f"newsclean {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    clean = commands.add_parser("clean", help="clean files, directories, JSONL, WARC or stdin")
    _add_clean_flags(clean)
    _add_pipeline_flags(clean)

    explain = commands.add_parser("explain", help="show every block, kept or dropped, and why")
    explain.add_argument("path", help="a file, or - for stdin")
    explain.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    _add_pipeline_flags(explain)

    bench = commands.add_parser("bench", help="quality and speed on a benchmark dataset")
    bench.add_argument("dataset", help="scrapinghub, mojibake, ftfy or mtnoise")
    bench.add_argument("path", help="the dataset's folder or file")
    bench.add_argument("--mode", default=None, help="scrapinghub: text, html or retention")
    bench.add_argument("--limit", type=int, default=None, help="only the first N documents")
    bench.add_argument("--repeats", type=int, default=3, help="timing repeats (median)")
    bench.add_argument("--json", action="store_true", help="print the figures as JSON")
    _add_pipeline_flags(bench)
    return parser


def _add_clean_flags(clean: argparse.ArgumentParser) -> None:
    clean.add_argument(
        "paths", nargs="+", help="files, directories, glob patterns, .jsonl, .warc(.gz), or -"
    )
    clean.add_argument(
        "-o", "--output", help="output folder (txt: mirrors the inputs) or .jsonl file"
    )
    clean.add_argument(
        "--format",
        choices=["txt", "jsonl"],
        default=None,
        help="txt files, or JSONL records with the report (default: jsonl when -o ends in .jsonl)",
    )
    clean.add_argument(
        "-j", "--jobs", type=int, default=0, help="worker processes (default 0: all cores)"
    )
    clean.add_argument("--resume", action="store_true", help="skip outputs a run already finished")
    clean.add_argument("--field", default="text", help="JSONL field holding the page (text, html…)")
    clean.add_argument("--id-field", default="id", help="JSONL field holding the document id")
    clean.add_argument(
        "--output-field", default="text", help="JSONL output field for the clean text"
    )
    clean.add_argument(
        "--glob",
        dest="pattern",
        default=None,
        help="in directories, only files whose relative path matches (e.g. '*.html')",
    )
    clean.add_argument(
        "--report",
        choices=["full", "summary"],
        default="full",
        help="JSONL report: every drop and repair, or counts only",
    )
    clean.add_argument("--chunk-size", type=int, default=8, help="documents per work unit")
    clean.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar, no summary, no error lines"
    )


def _cmd_clean(args: argparse.Namespace) -> int:
    from .batch import ERRORS_NAME, Format, jsonl_target, run_batch
    from .pipeline import default_pipeline

    pipeline = default_pipeline(**_options(args))
    out = Path(args.output) if args.output and args.output != "-" else None
    fmt: Format = args.format or ("jsonl" if out is not None and out.suffix == ".jsonl" else "txt")
    if args.chunk_size < 1:
        raise ConfigError("--chunk-size must be at least 1")
    shown = 0

    def on_error(label: str, message: str) -> None:
        nonlocal shown
        shown += 1
        if not args.quiet and shown <= 20:
            _print_err(f"newsclean: {label}: {message}")

    summary = run_batch(
        pipeline,
        args.paths,
        out,
        fmt,
        jobs=args.jobs,
        resume=args.resume,
        field=args.field,
        id_field=args.id_field,
        output_field=args.output_field,
        pattern=args.pattern,
        report=args.report,
        progress=not args.quiet and sys.stderr.isatty(),
        chunk_size=args.chunk_size,
        on_error=on_error,
    )
    if not args.quiet:
        if shown > 20:
            where = (
                f" (all in {out / ERRORS_NAME})"
                if fmt == "txt" and out
                else f" (error records in {jsonl_target(out)})"
                if out
                else ""
            )
            print(f"newsclean: {shown - 20} more failures{where}", file=sys.stderr)
        if summary.note:
            print(f"newsclean: {summary.note}", file=sys.stderr)
        print(f"newsclean: {summary.line()}", file=sys.stderr)
    return 1 if summary.failed else 0


def _print_err(message: str) -> None:
    """An error line on stderr that does not break a progress bar."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        tqdm.write(message, file=sys.stderr)
    else:
        print(message, file=sys.stderr)


def _cmd_explain(args: argparse.Namespace) -> int:
    from .errors import InputError
    from .pipeline import default_pipeline

    if args.path == "-":
        source: bytes = sys.stdin.buffer.read()
    else:
        try:
            source = Path(args.path).read_bytes()
        except OSError as exc:
            raise InputError(f"{args.path}: {exc.strerror or exc}") from None
    doc = default_pipeline(**_options(args)).process(source)
    colour = args.color == "always" or (
        args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )

    def paint(key: str) -> str:
        return _COLOURS[key] if colour else ""

    print(
        f"{paint('dim')}title: {doc.title!r}  lang: {doc.lang}  format: "
        f"{doc.meta.source_format}{paint('reset')}"
    )
    for index, block in enumerate(doc.blocks):
        if block.drop is None:
            label = f"{paint('kept')}KEEP{paint('reset')} {block.kind:<9}"
        else:
            label = f"{paint('dropped')}DROP{paint('reset')} {block.drop.reason:<9}"
        text = block.text if len(block.text) <= 160 else block.text[:157] + "..."
        print(f"{index:>4} {label} {text}")
    for repair in doc.repairs:
        if repair.reason != "normalise":
            print(
                f"{paint('dim')}repair {repair.reason}: {repair.before[:60]!r} -> "
                f"{repair.after[:60]!r}{paint('reset')}"
            )
    for flag in doc.flags:
        print(f"{paint('dim')}flag {flag.reason}: {flag.text!r}{paint('reset')}")
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from .bench import runner

    kwargs: dict[str, Any] = dict(_options(args))
    if args.mode:
        kwargs["mode"] = args.mode
    if args.limit:
        kwargs["limit"] = args.limit
    kwargs["repeats"] = args.repeats
    result = runner(args.dataset)(args.path, **kwargs)
    if args.json:
        print(json.dumps(result.figures, indent=2))
    else:
        print(result.render())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"clean": _cmd_clean, "explain": _cmd_explain, "bench": _cmd_bench}
    try:
        return handlers[args.command](args)
    except NewscleanError as exc:
        print(f"newsclean: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("newsclean: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
