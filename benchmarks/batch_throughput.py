"""Batch throughput and memory of `newsclean clean`.

Two measurements, both on the command a user runs (`python -m newsclean clean ...`):

1. Throughput: the scrapinghub pages (read by path from ../shared/bench/scrapinghub/html,
   or $NEWSCLEAN_SCRAPINGHUB), repeated to `--docs` documents and written as .html files
   into a temporary folder, cleaned into a text folder with `--jobs 1` and with
   `--jobs 2`, alternately, in the same run. Reports docs/s of each and the ratio
   (jobs 2 / jobs 1), with the load average seen, since the machine may be shared.
2. Memory: a JSONL file of `--jsonl-gb` GB (records with a clean article `text` and the
   page `html` kept alongside, as crawl dumps have) is generated in /tmp, cleaned to a
   JSONL output with `--field text`, and the peak resident memory of the process tree is
   sampled from /proc (the sum over all processes, and the largest single process). The
   input and output are deleted afterwards.

    python benchmarks/batch_throughput.py                      # both
    python benchmarks/batch_throughput.py --skip-memory --docs 2000 --repeats 2

The throughput part ends with a `RESULT` line on stderr: the jobs-2 / jobs-1 ratio of
each pair with the machine reference (what two processes get over one for pure CPU work)
measured just before and just after that pair. Each run also says where its time went:
CPU per document, the main process's CPU, and for the workers the share of their
lifetime spent running, waiting for a core (taken by other programs) and idle; from
those waits, an estimate of the ratio on a machine with no other load (an estimate only:
the acceptance figure is the measured ratio, on a quiet machine).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCRAPINGHUB = Path(
    os.environ.get("NEWSCLEAN_SCRAPINGHUB", ROOT.parent / "shared" / "bench" / "scrapinghub")
)


def _newsclean(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsclean", "clean", *args]


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants, from /proc (each thread's children file: cheap)."""
    if not os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children"):
        return _tree_scan(pid)
    found: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:  # gone
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    todo.extend(int(child) for child in handle.read().split())
            except OSError:
                continue
    return found


def _tree_scan(pid: int) -> list[int]:
    """`pid` and all its descendants, from every process's stat (slower)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _rss(pid: int) -> int | None:
    """Resident bytes of `pid` (None once it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return None


def _sched(pid: int) -> tuple[float, float, float] | None:
    """(start, running, waiting) of `pid` in seconds: when it started (since boot), the
    CPU time it has had, and the time it was ready to run but waited for a core."""
    try:
        with open(f"/proc/{pid}/schedstat", encoding="ascii") as handle:
            run_ns, wait_ns, _slices = handle.read().split()
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            start_ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return None
    return start_ticks / os.sysconf("SC_CLK_TCK"), int(run_ns) / 1e9, int(wait_ns) / 1e9


def _uptime() -> float:
    with open("/proc/uptime", encoding="ascii") as handle:
        return float(handle.read().split()[0])


def _tree_pss(pids: list[int]) -> int:
    """Proportional set size of `pids` (shared pages divided among their users), bytes."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


def run_measured(command: list[str], pss: bool = True, every: float = 0.05) -> dict[str, Any]:
    """Run `command`: wall seconds, CPU, peak memory, load, and where each process's time went.

    Every `every` seconds the process tree is sampled from /proc: resident memory (and PSS when
    `pss`), and each process's scheduler figures (CPU time had, time spent ready to run
    but waiting for a core). From the last sample of each process: the main process's CPU,
    the workers' CPU, their wait for a core (other programs on the machine) and their
    sleep (lifetime minus both: waiting for work, or for I/O), and when the first worker
    started (the serial part before it).
    """
    peak_sum = peak_root = peak_worker = peak_pss = 0
    sched: dict[int, tuple[float, float, float, float]] = {}  # start, run, wait, last seen
    load_before = os.getloadavg()[0]
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    own_before = time.process_time()
    start = time.perf_counter()
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_sum, peak_root, peak_worker, peak_pss
        while not stop.is_set():
            pids = _tree(proc.pid)
            rss = {pid: found for pid in pids if (found := _rss(pid)) is not None}
            now = _uptime()
            for pid in pids:
                figures = _sched(pid)
                if figures is not None:
                    sched[pid] = (*figures, now)
            if rss:
                if pss:
                    peak_pss = max(peak_pss, _tree_pss(list(rss)))
                peak_sum = max(peak_sum, sum(rss.values()))
                peak_root = max(peak_root, rss.get(proc.pid, 0))
                workers = [v for k, v in rss.items() if k != proc.pid]
                peak_worker = max(peak_worker, max(workers, default=0))
            stop.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (usage.ru_utime + usage.ru_stime) - (usage_before.ru_utime + usage_before.ru_stime)
    stop.set()
    sampler.join()
    own = time.process_time() - own_before
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}):\n{err}")
    main = sched.get(proc.pid, (0.0, 0.0, 0.0, 0.0))
    workers = [v for k, v in sched.items() if k != proc.pid]
    lifetime = sum(last - begun for begun, _, _, last in workers)
    worker_run = sum(run for _, run, _, _ in workers)
    worker_wait = sum(wait for _, _, wait, _ in workers)
    return {
        "seconds": wall,
        "cpu_seconds": cpu,  # the command and its workers, user + system
        "main_cpu_seconds": main[1],
        "main_wait_seconds": main[2],  # ready to run, waiting for a core
        "workers": len(workers),
        "worker_cpu_seconds": worker_run,
        "worker_wait_seconds": worker_wait,
        "worker_sleep_seconds": max(0.0, lifetime - worker_run - worker_wait),
        "worker_lifetime_seconds": lifetime,
        "serial_seconds": min((w[0] for w in workers), default=main[0]) - main[0],
        "peak_rss_tree_mb": peak_sum / 1e6,
        "peak_pss_tree_mb": peak_pss / 1e6,  # memory really used, shared pages once
        "peak_rss_main_mb": peak_root / 1e6,
        "peak_rss_worker_mb": peak_worker / 1e6,
        "sampler_cpu_seconds": own,  # this script's own CPU while it watched
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "summary": err.strip().splitlines()[-1] if err.strip() else "",
    }


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_speedup(n: int = 3_000_000, pieces: int = 16) -> float:
    """What two processes get over one on this machine right now, for pure CPU work.

    The reference for the jobs-2 / jobs-1 ratio: on a machine shared with other work
    (and with autogroup CPU fair sharing), it is well under 2 for any program.
    """
    import multiprocessing

    start = time.perf_counter()
    for _ in range(pieces):
        _burn(n)
    serial = time.perf_counter() - start
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_burn, [n] * pieces, chunksize=1)
    return serial / (time.perf_counter() - start)


def _describe(jobs: str, result: dict[str, Any], docs: int) -> str:
    """Two lines on where a run's time went."""
    wall = result["seconds"]
    line = (
        f"  jobs {jobs}: {result['docs_per_s']:.1f} docs/s ({wall:.1f} s, "
        f"{result['cpu_seconds']:.1f} CPU s = {1000 * result['cpu_seconds'] / docs:.1f} ms/doc, "
        f"load {result['load_before']:.2f} -> {result['load_after']:.2f})\n"
        f"    main process: {result['main_cpu_seconds']:.1f} CPU s, "
        f"{result['main_wait_seconds']:.1f} s waiting for a core"
    )
    if result["workers"]:
        life = result["worker_lifetime_seconds"] or 1.0
        line += (
            f"; {result['workers']} workers, first forked after {result['serial_seconds']:.1f} s: "
            f"running {100 * result['worker_cpu_seconds'] / life:.0f}%, waiting for a core "
            f"{100 * result['worker_wait_seconds'] / life:.0f}%, idle "
            f"{100 * result['worker_sleep_seconds'] / life:.0f}% of their lifetime"
        )
    return line


def _unloaded(result: dict[str, Any]) -> float:
    """An estimate of a run's wall time with no other program on the machine.

    The time its processes spent ready to run but waiting for a core is taken out: the
    main process's, and the workers' average (they wait side by side). Only an
    estimate (a loaded machine also slows what does run: shared caches); the measured
    ratio stays the figure.
    """
    waits = result["worker_wait_seconds"] / result["workers"] if result["workers"] else 0.0
    return float(result["seconds"] - result["main_wait_seconds"] - waits)


def throughput(docs: int, repeats: int, workdir: Path) -> dict[str, object]:
    """`--jobs 1` and `--jobs 2` in pairs, each pair between two machine references."""
    pages = sorted((SCRAPINGHUB / "html").glob("*.html.gz"))
    if not pages:
        raise SystemExit(f"no pages under {SCRAPINGHUB / 'html'}")
    folder = workdir / "pages"
    size = 0
    for n in range(docs):
        page = pages[n % len(pages)]
        data = gzip.decompress(page.read_bytes())
        target = folder / f"copy{n // len(pages):02d}" / page.name.replace(".gz", "")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        size += len(data)
    runs: dict[str, list[dict[str, Any]]] = {"1": [], "2": []}
    reference = [machine_speedup()]
    print(f"  machine: 2 processes give {reference[-1]:.2f}x one", file=sys.stderr)
    for _ in range(repeats):
        for jobs in ("1", "2"):
            out = workdir / f"out{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            # light sampling (no PSS, 5 per second): the sampler takes CPU from the run
            command = _newsclean(str(folder), "-o", str(out), "--jobs", jobs)
            result = run_measured(command, pss=False, every=0.2)
            result["docs_per_s"] = docs / result["seconds"]
            result["docs_per_cpu_s"] = docs / result["cpu_seconds"]
            runs[jobs].append(result)
            print(_describe(jobs, result, docs), file=sys.stderr)
            shutil.rmtree(out, ignore_errors=True)
        reference.append(machine_speedup())
        print(f"  machine: 2 processes give {reference[-1]:.2f}x one", file=sys.stderr)
    best = {jobs: max(r["docs_per_s"] for r in rs) for jobs, rs in runs.items()}
    pairs = [b["docs_per_s"] / a["docs_per_s"] for a, b in zip(runs["1"], runs["2"], strict=True)]
    around = [(reference[i], reference[i + 1]) for i in range(repeats)]
    unloaded = [_unloaded(a) / _unloaded(b) for a, b in zip(runs["1"], runs["2"], strict=True)]
    print(
        "RESULT jobs2/jobs1: "
        + ", ".join(
            f"{ratio:.2f}x (machine reference before/after: {r0:.2f}x/{r1:.2f}x)"
            for ratio, (r0, r1) in zip(pairs, around, strict=True)
        )
        + "\n  estimate without the other load (waits for a core taken out): "
        + ", ".join(f"{ratio:.2f}x" for ratio in unloaded),
        file=sys.stderr,
    )
    return {
        "docs": docs,
        "input_mb": size / 1e6,
        "docs_per_s_jobs1": [r["docs_per_s"] for r in runs["1"]],
        "docs_per_s_jobs2": [r["docs_per_s"] for r in runs["2"]],
        "ratio_per_pair": pairs,
        # the machine's two-process speedup for pure CPU work before and after each pair
        "machine_reference_per_pair": around,
        # CPU cost per document of each setting: equal means no parallel overhead, so a
        # ratio under 2 comes from serial parts and from the cores other processes took
        "ms_cpu_per_doc_jobs1": [1000 * r["cpu_seconds"] / docs for r in runs["1"]],
        "ms_cpu_per_doc_jobs2": [1000 * r["cpu_seconds"] / docs for r in runs["2"]],
        "cpu_share_jobs1": [r["cpu_seconds"] / r["seconds"] for r in runs["1"]],
        "cpu_share_jobs2": [r["cpu_seconds"] / r["seconds"] for r in runs["2"]],
        "ratio_best": best["2"] / best["1"],
        "ratio_estimate_without_other_load": unloaded,
        "runs_jobs1": runs["1"],
        "runs_jobs2": runs["2"],
        "cpus": os.cpu_count(),
    }


def memory(gigabytes: float, jobs: int, workdir: Path) -> dict[str, object]:
    truth = json.loads((SCRAPINGHUB / "ground-truth.json").read_text("utf-8"))
    pages = {p.name.split(".")[0]: p for p in (SCRAPINGHUB / "html").glob("*.html.gz")}
    records = []
    for key, value in sorted(truth.items()):
        if key in pages:
            html = gzip.decompress(pages[key].read_bytes()).decode("utf-8", "replace")
            records.append({"url": value.get("url"), "text": value["articleBody"], "html": html})
    big = workdir / "big.jsonl"
    target = int(gigabytes * 1e9)
    size = count = 0
    with open(big, "w", encoding="utf-8") as handle:
        while size < target:
            record = records[count % len(records)]
            line = json.dumps({"id": f"doc{count}", **record}, ensure_ascii=False) + "\n"
            handle.write(line)
            size += len(line.encode("utf-8"))
            count += 1
    out = workdir / "big-clean.jsonl"
    try:
        result = run_measured(
            _newsclean(str(big), "--field", "text", "-o", str(out), "--jobs", str(jobs))
        )
        with open(out, "rb") as handle:
            output_lines = sum(1 for _ in handle)
    finally:
        big.unlink(missing_ok=True)
        out.unlink(missing_ok=True)
        Path(str(out) + ".partial").unlink(missing_ok=True)
    return {
        "input_gb": size / 1e9,
        "records": count,
        "output_records": output_lines,
        "jobs": jobs,
        **result,
        "docs_per_s": count / result["seconds"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=1, help="jobs-1 / jobs-2 pairs")
    parser.add_argument(
        "--jsonl-gb", type=float, nargs="+", default=[1.0], help="sizes (e.g. 0.1 1) to compare"
    )
    parser.add_argument("--memory-jobs", type=int, default=2)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="newsclean-batch-", dir="/tmp") as tmp:
        if not args.skip_throughput:
            print(f"throughput: {args.docs} docs, --jobs 1 vs --jobs 2", file=sys.stderr)
            figures["throughput"] = throughput(args.docs, args.repeats, Path(tmp))
        if not args.skip_memory:
            figures["memory"] = []
            for size in args.jsonl_gb:
                print(f"memory: {size} GB JSONL", file=sys.stderr)
                result = memory(size, args.memory_jobs, Path(tmp))
                print(
                    f"  peak RSS: tree {result['peak_rss_tree_mb']:.0f} MB (PSS "
                    f"{result['peak_pss_tree_mb']:.0f} MB), main "
                    f"{result['peak_rss_main_mb']:.0f} MB, largest worker "
                    f"{result['peak_rss_worker_mb']:.0f} MB ({result['seconds']:.0f} s)",
                    file=sys.stderr,
                )
                figures["memory"].append(result)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
