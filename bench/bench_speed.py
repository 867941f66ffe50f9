"""Speed at scale (issue 6): rmxl's targets, measured against hledger and bean-check in one run.

``python bench/bench_speed.py [--sizes 1000,10000,100000] [--repeat 3] [--keep DIR]
[--skip build,udfs,field] [--markdown]``

For each size it writes a synthetic ledger (:mod:`synth`, seed 0: 14 files) and times,
each as a fresh process (the best of ``--repeat`` runs; other processes on a shared
machine only ever make a run slower):

- ``cold``: ``rmxl validate`` with ``RMXL_CACHE=0`` (no cache at all);
- ``fill``: ``rmxl validate`` with an empty cache, which it fills (cold + writing);
- ``warm``: ``rmxl validate`` again with the cache filled and the ledger unchanged;
- ``changed``: ``rmxl validate`` after one of the 14 files changed (a title edited, never
  the same text twice, so that file is parsed again and the ledger validated again);
- ``build``: ``rmxl build`` with no cache, its wall time and peak memory (``wait4``; one
  run at 100k);
- ``udfs``: microseconds per Excel function call on recalculation (bench/bench_udfs.py);
- ``hledger check`` on a journal of as many two-posting transactions, and ``bean-check``
  on the same in beancount syntax, cold (``-C``) and on a cache hit, where installed
  (``apt-get install hledger``; ``pip install beancount`` in a separate venv, found on
  PATH or with ``--bean-check PATH``).

It also reports the start-up of ``rmxl --help`` and which heavy modules (pandas,
matplotlib, xlsxwriter) ``rmxl validate`` imports (there must be none). The table ends
with each target and whether it is met. ``--markdown`` prints it for
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import generate  # noqa: E402

CHANGED_FILE = "agreements/2018.yaml"
CURRENCIES = ("USD", "USD", "CHF", "EUR", "GBP", "JPY")
HEAVY = ("pandas", "matplotlib", "xlsxwriter")


@dataclass
class Run:
    seconds: float
    max_rss_kb: int
    returncode: int
    output: str


def run(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """One child process: wall seconds, peak resident memory (KB), exit status, output."""
    start = time.perf_counter()
    p = subprocess.Popen(
        cmd, env=env, cwd=SNAPSHOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert p.stdout is not None
    output = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_maxrss, p.returncode, output)


def best(cmd: list[str], repeat: int, env: dict[str, str] | None = None, ok: int = 0) -> Run:
    runs = [run(cmd, env) for _ in range(repeat)]
    for r in runs:
        if r.returncode != ok:
            raise SystemExit(f"{' '.join(cmd)} exited {r.returncode}:\n{r.output[-2000:]}")
    return min(runs, key=lambda r: r.seconds)


SNAPSHOT: Path | None = None
"""A copy of the rmxl package that the timed processes import (see :func:`snapshot`);
they also run in that folder, since ``python -c`` puts the current folder (a checkout's
own rmxl/) first on the path."""


def snapshot(work: Path) -> None:
    """Run a frozen copy of rmxl: developers editing the working tree during a run would
    otherwise change rmxl's fingerprint, and so empty the cache under the warm runs."""
    global SNAPSHOT
    import compileall

    import rmxl

    SNAPSHOT = work / "pkg"
    target = SNAPSHOT / "rmxl"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(
        Path(rmxl.__file__).parent, target, ignore=shutil.ignore_patterns("__pycache__")
    )
    compileall.compile_dir(target, quiet=1)


def rmxl_cmd() -> list[str]:
    if SNAPSHOT is not None:
        return [
            sys.executable,
            "-c",
            "import sys; from rmxl.cli import main; sys.argv[0] = 'rmxl'; main()",
        ]
    script = Path(sys.executable).parent / "rmxl"
    return [str(script)] if script.exists() else [sys.executable, "-m", "rmxl.cli"]


def env_with(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("RMXL_CACHE", None)
    if SNAPSHOT is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(SNAPSHOT), env.get("PYTHONPATH", "")]).rstrip(
            os.pathsep
        )
    env.update(extra)
    return env


# -- the field's journals ----------------------------------------------------------------


def transactions(n: int, seed: int = 0) -> list[tuple[str, str, str, int, str]]:
    """``n`` (date, id, partner, amount, currency): one per synthetic agreement, with its
    first contribution."""
    rng = random.Random(seed)
    partners = max(40, n // 10)
    out = []
    for i in range(n):
        year = 2013 + i * 11 // n
        day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        aid = f"SYN-{year}-{i + 1:06d}"
        amount, cur = rng.randint(1, 5000) * 1000, rng.choice(CURRENCIES)
        out.append((day, aid, f"p-{rng.randrange(partners):06d}", amount, cur))
    out.sort()
    return out


def hledger_journal(n: int, path: Path) -> Path:
    """Two-posting transactions carrying what an agreement carries: date, id, title,
    region, priority and country tags, a partner's amount in its currency."""
    lines = []
    for day, aid, partner, amount, cur in transactions(n):
        lines.append(
            f"{day} {aid} | Synthetic agreement {aid}  ; region:africa, priority:inclusion, "
            "country:KE"
        )
        lines += [f"    assets:partners:{partner}  {amount} {cur}", "    income:agreements", ""]
    path.write_text("\n".join(lines))
    return path


def beancount_journal(n: int, path: Path) -> Path:
    """The same transactions in beancount syntax (accounts opened, metadata for tags)."""
    txns = transactions(n)
    accounts = sorted({p for _, _, p, _, _ in txns})
    lines = ['option "operating_currency" "USD"', "2010-01-01 open Income:Agreements"]
    lines += [f"2010-01-01 open Assets:Partners:{p.upper()}" for p in accounts]
    for day, aid, partner, amount, cur in txns:
        lines += [f'{day} * "{aid}" "Synthetic agreement {aid}"', '  region: "africa"']
        lines += [f"  Assets:Partners:{partner.upper()}  {amount} {cur}", "  Income:Agreements", ""]
    path.write_text("\n".join(lines))
    return path


# -- measurements -----------------------------------------------------------------------


@dataclass
class Size:
    n: int
    figures: dict[str, float] = field(default_factory=dict)


def bench_rmxl(n: int, root: Path, work: Path, repeat: int, skip: set[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    validate = [*rmxl_cmd(), "validate", "--ledger", str(root)]
    out["cold"] = best(validate, repeat, env_with(RMXL_CACHE="0")).seconds
    cached = env_with(RMXL_CACHE_DIR=str(work / f"cache-{n}"))
    out["fill"] = best(validate, 1, cached).seconds  # an empty cache: parses and stores
    out["warm"] = best(validate, repeat, cached).seconds
    path = root / CHANGED_FILE
    original = path.read_text(encoding="utf-8")
    times = []
    for i in range(repeat):
        path.write_text(original.replace("title: ", f"title: Edited {i} ", 1), encoding="utf-8")
        times.append(best(validate, 1, cached).seconds)
    path.write_text(original, encoding="utf-8")
    out["changed"] = min(times)
    if "build" not in skip:
        xlsx = work / f"book-{n}.xlsx"
        r = best(
            [*rmxl_cmd(), "build", "--ledger", str(root), "--out", str(xlsx)],
            repeat if n < 100_000 else 1,  # a 100k build takes most of a minute
            env_with(RMXL_CACHE="0"),
        )
        out["build"], out["build_mb"] = r.seconds, r.max_rss_kb / 1024
    if "udfs" not in skip:
        code = (
            "import json, sys, pathlib; sys.path.insert(0, sys.argv[1]); import bench_udfs as b; "
            "print(json.dumps(b.bench(int(sys.argv[2]), 10000, pathlib.Path(sys.argv[3]))))"
        )
        r = best(
            [sys.executable, "-c", code, str(HERE), str(n), str(work)], 1, env_with(RMXL_CACHE="0")
        )
        out["udf_us"] = json.loads(r.output.strip().splitlines()[-1])["recalc"]
    return out


def bench_field(n: int, work: Path, repeat: int, bean_check: str | None) -> dict[str, float]:
    out: dict[str, float] = {}
    if shutil.which("hledger"):
        journal = hledger_journal(n, work / f"journal-{n}.ledger")
        out["hledger"] = best(["hledger", "-f", str(journal), "check"], repeat).seconds
    if bean_check:
        beans = beancount_journal(n, work / f"journal-{n}.beancount")
        out["bean_cold"] = best([bean_check, "-C", str(beans)], repeat).seconds
        pickle_path = work / f"bean-{n}.picklecache"
        run([bean_check, "--cache-filename", str(pickle_path), str(beans)])
        hit = best([bean_check, "--cache-filename", str(pickle_path), str(beans)], repeat)
        out["bean_warm"] = hit.seconds if pickle_path.exists() else float("nan")
    return out


def startup(root: Path) -> tuple[float, list[str]]:
    """Seconds of ``rmxl --help``, and the heavy modules ``rmxl validate`` imports."""
    seconds = best([*rmxl_cmd(), "--help"], 5, env_with()).seconds
    code = (
        "import sys\nfrom click.testing import CliRunner\nimport rmxl.cli\n"
        f"CliRunner().invoke(rmxl.cli.main, ['validate', '--ledger', {str(root)!r}])\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    r = run([sys.executable, "-c", code], env_with(RMXL_CACHE="0"))
    return seconds, [
        m for m in r.output.strip().splitlines()[-1:][0].split(",") if m
    ] if r.output.strip() else []


# -- the table --------------------------------------------------------------------------


def fmt(v: float | None, unit: str = "s") -> str:
    if v is None:
        return "—"
    if v != v:  # NaN
        return "n/a"
    if unit == "s":
        return f"{v:.2f} s" if v < 10 else f"{v:.1f} s"
    if unit == "x":
        return f"{v:.2f}×"
    if unit == "MB":
        return f"{v:.0f} MB"
    return f"{v:.1f} µs"


def table(sizes: list[Size], boot: float, heavy: list[str]) -> list[list[str]]:
    def row(label: str, key: str, unit: str = "s") -> list[str]:
        return [label, *(fmt(s.figures.get(key), unit) for s in sizes)]

    def ratio(label: str, a: str, b: str) -> list[str]:
        cells = []
        for s in sizes:
            x, y = s.figures.get(a), s.figures.get(b)
            cells.append(fmt(x / y, "x") if x is not None and y else "—")
        return [label, *cells]

    rows = [
        row("`rmxl validate`, cold (no cache)", "cold"),
        row("`hledger check` (same number of transactions)", "hledger"),
        ratio("ratio cold rmxl / hledger (target ≤ 1)", "cold", "hledger"),
        row("`bean-check`, no cache", "bean_cold"),
        row("`bean-check`, cache hit", "bean_warm"),
        row("`rmxl validate`, first run filling an empty cache", "fill"),
        row("`rmxl validate`, warm (ledger unchanged)", "warm"),
        ratio("ratio warm rmxl / bean-check cache hit", "warm", "bean_warm"),
        row("`rmxl validate`, 1 file of 14 changed", "changed"),
        row("`rmxl build`, no cache", "build"),
        row("`rmxl build`, peak memory", "build_mb", "MB"),
        row("Excel function, per call on recalculation", "udf_us", "µs"),
    ]
    rows.append(["`rmxl --help` start-up", fmt(boot), *([""] * (len(sizes) - 1))])
    rows.append(["heavy modules imported by `rmxl validate`", ", ".join(heavy) or "none"])
    rows[-1] += [""] * (len(sizes) - 1)
    return rows


def verdicts(sizes: list[Size], heavy: list[str]) -> list[str]:
    by = {s.n: s.figures for s in sizes}
    out = []

    def judge(text: str, n: int, key: str, limit: float | str) -> None:
        f = by.get(n, {})
        if key not in f or (isinstance(limit, str) and limit not in f):
            return
        bound = f[limit] if isinstance(limit, str) else limit
        ok = f[key] <= bound
        out.append(f"{'met   ' if ok else 'MISSED'}  {text}: {f[key]:.3g} vs {bound:.3g}")

    judge("cold validate 10k ≤ hledger check 10k (s)", 10_000, "cold", "hledger")
    judge("warm validate 10k ≤ 0.15 s", 10_000, "warm", 0.15)
    judge("warm validate 100k ≤ 1 s", 100_000, "warm", 1.0)
    judge("1 file changed 10k ≤ 0.5 s", 10_000, "changed", 0.5)
    judge("build 10k ≤ 5 s", 10_000, "build", 5.0)
    judge("build 100k ≤ 60 s", 100_000, "build", 60.0)
    for n in by:
        judge(f"build {n // 1000}k peak memory ≤ 1 GB (MB)", n, "build_mb", 1024.0)
        judge(f"Excel function {n // 1000}k ≤ 20 µs per call", n, "udf_us", 20.0)
    out.append(f"{'MISSED' if heavy else 'met   '}  rmxl validate imports no {', '.join(HEAVY)}")
    return out


def render(rows: list[list[str]], sizes: list[Size], markdown: bool) -> str:
    head = ["work", *(f"{s.n // 1000}k" for s in sizes)]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in [head, *rows]
    )


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    tools = []
    if shutil.which("hledger"):
        tools.append(
            subprocess.run(["hledger", "--version"], capture_output=True, text=True)
            .stdout.split(",")[0]
            .strip()
        )
    python = f"Python {platform.python_version()}, {platform.system()}"
    return f"{os.cpu_count()} CPUs ({cpu}), {python}; {'; '.join(tools)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write ledgers and journals here and keep them")
    parser.add_argument("--skip", default="", help="any of build,udfs,field (comma-separated)")
    parser.add_argument("--bean-check", default=shutil.which("bean-check") or _venv_bean())
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--live", action="store_true", help="run the working tree's rmxl")
    args = parser.parse_args(argv)
    skip = {s for s in args.skip.split(",") if s}
    sizes = [Size(int(s)) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if not args.live:
            snapshot(work)
        for size in sizes:
            root = generate(size.n, work / f"ledger-{size.n}")
            print(f"{size.n:,} agreements…", file=sys.stderr, flush=True)
            size.figures.update(bench_rmxl(size.n, root, work, args.repeat, skip))
            if "field" not in skip:
                size.figures.update(bench_field(size.n, work, args.repeat, args.bean_check))
        boot, heavy = startup(work / f"ledger-{sizes[0].n}")
    print(f"machine: {machine()}")
    print(render(table(sizes, boot, heavy), sizes, args.markdown))
    print()
    print("\n".join(verdicts(sizes, heavy)))
    return 0


def _venv_bean() -> str | None:
    candidate = Path("/tmp/bcvenv/bin/bean-check")
    return str(candidate) if candidate.exists() else None


if __name__ == "__main__":
    raise SystemExit(main())
