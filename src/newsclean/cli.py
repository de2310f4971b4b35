"""The `newsclean` command: clean, explain, bench.

Errors become one line on stderr and a non-zero exit code; options come from
flags, then `--config FILE`, then the nearest newsclean.toml / [tool.newsclean].
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .errors import ConfigError, NewscleanError

if TYPE_CHECKING:
    from .batch import Format

log = logging.getLogger("newsclean")


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
    parser.add_argument(  # also after the command; SUPPRESS keeps a -v given before it
        "-v",
        "--verbose",
        action="count",
        default=argparse.SUPPRESS,
        help="log what the run does on stderr (-vv: every document)",
    )
    parser.add_argument(
        "--lang",
        help="the page's expected language (ISO 639 code, e.g. fr): a strong prior, not an "
        "override; a page clearly in another language keeps its own, and the report flags "
        "lang_hint_overruled; an unknown code is an error",
    )
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
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log what the run does on stderr (-vv: every document)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    clean = commands.add_parser("clean", help="clean files, directories, JSONL, WARC or stdin")
    _add_clean_flags(clean)
    _add_pipeline_flags(clean)

    explain = commands.add_parser("explain", help="show every block, kept or dropped, and why")
    explain.add_argument(
        "paths", nargs="+", help="what clean reads: files, directories, .jsonl, .warc(.gz), or -"
    )
    explain.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    explain.add_argument("--full", action="store_true", help="whole blocks, drops and repairs")
    explain.add_argument("--limit", type=int, default=None, help="only the first N documents")
    explain.add_argument("--field", default="text", help="JSONL field holding the page")
    explain.add_argument("--id-field", default="id", help="JSONL field holding the document id")
    _add_pipeline_flags(explain)

    bench = commands.add_parser("bench", help="quality and speed on a benchmark dataset")
    bench.add_argument("dataset", help="chrome, scrapinghub, mojibake, ftfy, mtnoise or noharm")
    bench.add_argument("path", help="the dataset's folder or file")
    bench.add_argument(
        "--mode", default=None, help="chrome and scrapinghub: text, html or retention"
    )
    bench.add_argument(
        "--in-sample",
        action="store_true",
        help="chrome: score the shipped model only (no cross-validation by site fold)",
    )
    bench.add_argument(
        "--folds",
        metavar="DIR",
        help="chrome: the fold models that benchmarks/train_block_model.py --folds wrote "
        "(default: train them)",
    )
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
        choices=["txt", "jsonl", "markdown"],
        default=None,
        help="txt or markdown files, or JSONL records with the report (default: jsonl when -o "
        "ends in .jsonl, or without -o when every input is JSONL; else txt)",
    )
    clean.add_argument(
        "--with-metadata",
        action="store_true",
        help="title, authors, date, url, site name and language: YAML front matter in txt "
        "and markdown, fields in JSONL",
    )
    clean.add_argument(
        "-j", "--jobs", type=int, default=0, help="worker processes (default 0: all cores)"
    )
    clean.add_argument("--resume", action="store_true", help="skip outputs a run already finished")
    clean.add_argument("--field", default="text", help="JSONL field holding the page (text, html…)")
    clean.add_argument("--id-field", default="id", help="JSONL field holding the document id")
    clean.add_argument(
        "--output-field",
        default=None,
        help="JSONL output field for the clean text (default: text; an existing field is "
        "replaced only when named here)",
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
        "--stats",
        default=None,
        metavar="FILE",
        help="write the run's statistics here (default: newsclean-stats.json beside -o)",
    )
    clean.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar, no summary, no error lines"
    )


def _cmd_clean(args: argparse.Namespace) -> int:
    from .batch import ERRORS_NAME, default_jobs, jsonl_target, run_batch
    from .pipeline import default_pipeline
    from .stats import RunStats, write_stats

    pipeline = default_pipeline(**_options(args))
    out = Path(args.output) if args.output and args.output != "-" else None
    fmt = _output_format(args.format, out, args.paths)
    if args.chunk_size < 1:
        raise ConfigError("--chunk-size must be at least 1")
    cores = default_jobs()
    if args.jobs > cores and not args.quiet:
        print(
            f"newsclean: warning: -j {args.jobs} is more than the {cores} cores available; "
            "the extra workers only take memory",
            file=sys.stderr,
        )
    shown = 0
    stats = RunStats()

    def on_error(label: str, message: str) -> None:
        nonlocal shown
        shown += 1
        if not args.quiet and shown <= 20:
            _print_err(f"newsclean: {label}: {message}")

    log.info("cleaning %s into %s as %s", ", ".join(args.paths), out or "stdout", fmt)
    try:
        summary = run_batch(
            pipeline,
            args.paths,
            out,
            fmt,
            jobs=args.jobs,
            resume=args.resume,
            field=args.field,
            id_field=args.id_field,
            output_field=args.output_field or "text",
            pattern=args.pattern,
            report=args.report,
            progress=not args.quiet and sys.stderr.isatty(),
            chunk_size=args.chunk_size,
            on_error=on_error,
            with_metadata=args.with_metadata,
            replace_output_field=args.output_field is not None,
            stats=stats,
        )
    except KeyboardInterrupt:
        hint = "; finished outputs are kept: rerun with --resume to go on" if out else ""
        print(f"newsclean: interrupted after {stats.documents_in} documents{hint}", file=sys.stderr)
        return 130
    if args.stats:
        write_stats(stats, Path(args.stats))
        summary.stats_file = args.stats
    if summary.stats_file:
        log.info("statistics in %s", summary.stats_file)
    if not args.quiet:
        if shown > 20:
            where = (
                f" (all in {out / ERRORS_NAME})"
                if fmt != "jsonl" and out
                else f" (error records in {jsonl_target(out)})"
                if out
                else ""
            )
            print(f"newsclean: {shown - 20} more failures{where}", file=sys.stderr)
        if summary.note:
            print(f"newsclean: {summary.note}", file=sys.stderr)
        if stats.empty:
            print(
                f"newsclean: warning: {stats.empty} documents cleaned to nothing "
                f"(the first: {', '.join(stats.empty_documents[:3])})",
                file=sys.stderr,
            )
        print(f"newsclean: {summary.line()}", file=sys.stderr)
        if stats.documents_in > 1:
            print(stats.table(), file=sys.stderr)
    return 1 if summary.failed else 0


def _output_format(chosen: str | None, out: Path | None, paths: list[str]) -> Format:
    """The output format: as chosen, else JSONL for a .jsonl output or, with no output,
    for inputs that are all JSONL (records stay records); text otherwise."""
    from .sources import JSONL_SUFFIXES, split_suffix

    if chosen is not None:
        return cast("Format", chosen)
    if out is not None:
        return "jsonl" if out.suffix.lower() in JSONL_SUFFIXES else "txt"
    if paths and all(split_suffix(Path(p).name)[1] in JSONL_SUFFIXES for p in paths):
        return "jsonl"
    return "txt"


def _print_err(message: str) -> None:
    """An error line on stderr that does not break a progress bar."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        tqdm.write(message, file=sys.stderr)
    else:
        print(message, file=sys.stderr)


def _cmd_explain(args: argparse.Namespace) -> int:
    from .explain import ExplainOptions, explain
    from .pipeline import default_pipeline

    colour = args.color == "always" or (
        args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    options = ExplainOptions(colour, args.full, args.limit, args.field, args.id_field)
    failed = explain(default_pipeline(**_options(args)), args.paths, sys.stdout, options)
    return 1 if failed else 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from .bench import runner

    kwargs: dict[str, Any] = dict(_options(args))
    if args.mode:
        kwargs["mode"] = args.mode
    if args.limit:
        kwargs["limit"] = args.limit
    kwargs["repeats"] = args.repeats
    if args.dataset == "chrome":
        kwargs["in_sample"] = args.in_sample
        kwargs["folds"] = args.folds
        kwargs["log"] = lambda message: print(message, file=sys.stderr, flush=True)
    result = runner(args.dataset)(args.path, **kwargs)
    if args.json:
        print(json.dumps(result.figures, indent=2))
    else:
        print(result.render())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verbose:
        logging.basicConfig(
            level=logging.DEBUG if args.verbose > 1 else logging.INFO,
            format="newsclean: %(message)s",
            stream=sys.stderr,
        )
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
