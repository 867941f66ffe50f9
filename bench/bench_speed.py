"""Speed at scale (issues 6 and 14): rmxl's targets, measured against hledger and
bean-check in the same run.

``python bench/bench_speed.py [--sizes 1000,10000,100000] [--repeat 5] [--keep DIR]
[--skip build,udfs,field,onecore,import] [--baseline REV] [--markdown]``

For each size it writes a synthetic ledger (:mod:`synth`, seed 0: 14 files) and the
equivalent journals (:mod:`field`: one two-posting transaction per agreement), then
times, each as a fresh process:

- ``cold``: ``rmxl validate`` with ``RMXL_CACHE=0``, in ``--repeat`` rounds each of which
  also runs ``hledger check`` and ``bean-check -C`` once (a busy spell of the shared
  machine slows the whole round): the median time of each tool and the median of the
  per-round ratios; with ``--baseline REV``, rmxl as of git revision REV runs in the same
  rounds (today / baseline ratios);
- ``onecore``: the same pinned to one CPU (``taskset -c 0``), rmxl (and the baseline)
  paired with ``hledger check``;
- ``fill``: the same with an empty cache, which it fills (what a fresh clone's first run
  costs), paired the same way; the difference fill − cold per 1,000 agreements is what
  writing the cache costs (linear when it is the same at every size);
- ``warm``: ``rmxl validate`` again with the cache filled and the ledger unchanged;
- ``changed``: ``rmxl validate`` after one of the 14 files changed (a title edited, never
  the same text twice);
- ``build``: two ``rmxl build`` without cache: time, peak memory (``wait4``), whether the
  two workbooks are byte-identical and whether the Agreements, Contributions and Parties
  sheets are Excel tables with filters;
- ``udfs``: bench/bench_udfs.py: the first call (compiling the ledger), a question not
  asked before (mean and p99 over 10,000 varied questions, or ``$BENCH_UDF_CALLS``), a
  repeated one, a recalculation;
- ``import``: (sizes up to 10k) ``rmxl import`` of the ledger's agreements, exported as
  xlsx, into a ledger holding only its taxonomy, partners and rates.

hledger comes from ``apt-get install hledger``; bean-check from ``pip install beancount``
in a separate venv (found on PATH, in /tmp/bcvenv, or with ``--bean-check PATH``). It
also reports the start-up of ``rmxl --help`` and which heavy modules (pandas,
matplotlib, xlsxwriter) ``rmxl validate`` imports (there must be none). The table ends
with each target of issue 14, met or missed. ``--markdown`` prints it for
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from field import beancount_journal, hledger_journal  # noqa: E402
from synth import generate  # noqa: E402

CHANGED_FILE = "agreements/2018.yaml"
HEAVY = ("pandas", "matplotlib", "xlsxwriter")


@dataclass
class Run:
    seconds: float
    max_rss_kb: int
    returncode: int
    output: str


def run(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """One child process: wall seconds, peak resident memory (KB), exit status, output.

    It runs in the folder of the rmxl snapshot its ``PYTHONPATH`` names first (see
    :func:`snapshot`): ``python -c`` puts the current folder first on the path."""
    start = time.perf_counter()
    path = (env or {}).get("PYTHONPATH", "")
    cwd = path.split(os.pathsep)[0] if path else SNAPSHOT
    p = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert p.stdout is not None
    output = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_maxrss, p.returncode, output)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def paired(
    cmds: dict[str, tuple[list[str], dict[str, str] | None]], repeat: int
) -> dict[str, float]:
    """Each command once per round, in turn, for ``repeat`` rounds (so a busy spell of a
    shared machine slows every tool of that round alike): the median seconds of each,
    and ``NAME/OTHER`` the median of the per-round ratios of every pair."""
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(repeat):
        for name, (cmd, env) in cmds.items():
            times[name].append(check_ok(run(cmd, env), cmd).seconds)
    out = {name: median(t) for name, t in times.items()}
    for a in cmds:
        for b in cmds:
            if a != b:
                out[f"{a}/{b}"] = median([x / y for x, y in zip(times[a], times[b], strict=True)])
    return out


def check_ok(r: Run, cmd: list[str], ok: tuple[int, ...] = (0,)) -> Run:
    if r.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} exited {r.returncode}:\n{r.output[-2000:]}")
    return r


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
    import rmxl

    SNAPSHOT = work / "pkg"
    freeze(Path(rmxl.__file__).parent, SNAPSHOT)


def freeze(package: Path, folder: Path) -> Path:
    """Copy the rmxl package ``package`` into ``folder``/rmxl, compiled; returns ``folder``."""
    import compileall

    target = folder / "rmxl"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(package, target, ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(target, quiet=1)
    return folder


def baseline(rev: str, work: Path) -> Path:
    """rmxl as it was at git revision ``rev`` of this checkout, frozen under ``work``
    (``--baseline``): timed in the same rounds as today's, for new/old ratios."""
    folder = work / "base"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "src").mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(HERE.parent), "archive", rev, "rmxl"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder / "src")], input=archive, check=True)
    return freeze(folder / "src" / "rmxl", folder / "pkg")


def rmxl_cmd() -> list[str]:
    if SNAPSHOT is not None:
        return [
            sys.executable,
            "-c",
            "import sys; from rmxl.cli import main; sys.argv[0] = 'rmxl'; main()",
        ]
    script = Path(sys.executable).parent / "rmxl"
    return [str(script)] if script.exists() else [sys.executable, "-m", "rmxl.cli"]


def env_with(package: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a timed rmxl: the snapshot (or ``package``) first on the path."""
    env = dict(os.environ)
    env.pop("RMXL_CACHE", None)
    folder = package or SNAPSHOT
    if folder is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(folder), env.get("PYTHONPATH", "")]).rstrip(
            os.pathsep
        )
    env.update(extra)
    return env


# -- measurements -----------------------------------------------------------------------


@dataclass
class Size:
    n: int
    figures: dict[str, float] = field(default_factory=dict)


BASE: Path | None = None
BASE_REV = ""
"""The frozen rmxl of ``--baseline REV``, timed in the same rounds as today's."""


def bench_rmxl(
    n: int, root: Path, work: Path, repeat: int, skip: set[str], bean_check: str | None
) -> dict[str, float]:
    """The validate timings, each paired in the same rounds with ``hledger check`` and
    ``bean-check -C`` on the equivalent journals (when installed)."""
    validate = [*rmxl_cmd(), "validate", "--ledger", str(root)]
    field: dict[str, tuple[list[str], dict[str, str] | None]] = {}
    if shutil.which("hledger") and "field" not in skip:
        journal = hledger_journal(n, work / f"journal-{n}.ledger")
        field["hledger"] = (["hledger", "-f", str(journal), "check"], None)
    if bean_check and "field" not in skip:
        beans = beancount_journal(n, work / f"journal-{n}.beancount")
        field["bean"] = ([bean_check, "-C", str(beans)], None)
    Cmd = tuple[list[str], dict[str, str] | None]
    cold: dict[str, Cmd] = {"cold": (validate, env_with(RMXL_CACHE="0"))}
    if BASE is not None:
        cold["base"] = (validate, env_with(BASE, RMXL_CACHE="0"))
    out = paired({**cold, **field}, repeat)
    if shutil.which("taskset") and "onecore" not in skip:
        one = ["taskset", "-c", "0"]
        runs: dict[str, Cmd] = {f"{k}1": ([*one, *cmd], env) for k, (cmd, env) in cold.items()}
        if "hledger" in field:
            runs["hledger1"] = ([*one, *field["hledger"][0]], None)
        out.update(paired(runs, repeat))
    fills = []  # an empty cache each round: what a fresh clone's first run costs
    for i in range(repeat):
        env = env_with(RMXL_CACHE_DIR=str(work / f"cache-{n}-{i}"))
        fills.append(paired({"fill": (validate, env), "cold": cold["cold"], **field}, 1))
    for key in fills[0]:
        if key.startswith("fill"):
            out[key] = median([f[key] for f in fills])
    # what writing the cache adds, per 1,000 agreements (linear: the same at every size)
    out["writes_per_1k"] = median([(f["fill"] - f["cold"]) / n * 1000 for f in fills])
    cached = env_with(RMXL_CACHE_DIR=str(work / f"cache-{n}-0"))
    out["warm"] = median([check_ok(run(validate, cached), validate).seconds for _ in range(repeat)])
    path = root / CHANGED_FILE
    original = path.read_text(encoding="utf-8")
    times = []
    for i in range(repeat):
        path.write_text(original.replace("title: ", f"title: Edited {i} ", 1), encoding="utf-8")
        times.append(check_ok(run(validate, cached), validate).seconds)
    path.write_text(original, encoding="utf-8")
    out["changed"] = median(times)
    if "build" not in skip:
        out.update(bench_build(n, root, work))
    if "udfs" not in skip:
        out.update(bench_udfs(n, work))
    if "import" not in skip and n <= 10_000:
        out["import"] = bench_import(root, work)
    return out


def bench_udfs(n: int, work: Path) -> dict[str, float]:
    """bench/bench_udfs.py in a fresh process on the snapshot (µs per call)."""
    code = (
        "import json, sys, pathlib; sys.path.insert(0, sys.argv[1]); import bench_udfs as b; "
        "n, calls, work = int(sys.argv[2]), int(sys.argv[4]), pathlib.Path(sys.argv[3]); "
        "print(json.dumps(b.bench(n, calls, work)))"
    )
    calls = os.environ.get("BENCH_UDF_CALLS", "10000")
    cmd = [sys.executable, "-c", code, str(HERE), str(n), str(work), calls]
    r = check_ok(run(cmd, env_with(RMXL_CACHE="0")), [code])
    udf = json.loads(r.output.strip().splitlines()[-1])
    return {
        "udf_us": udf["recalc"],
        "udf_new_mean": udf["varied_mean"],
        "udf_new_p99": udf["varied_p99"],
        "udf_repeated": udf["repeated"],
        "udf_first": udf["first"],
    }


def bench_import(root: Path, work: Path) -> float:
    """Seconds of ``rmxl import`` of the ledger's agreements, exported as xlsx, into a
    ledger holding only its taxonomy, partners and rates (bench/bench_import.py)."""
    book = work / f"export-{root.name}"
    env = env_with(RMXL_CACHE="0")
    export = [*rmxl_cmd(), "export", "--ledger", str(root), "--format", "xlsx", "--out", str(book)]
    check_ok(run(export, env), export)
    target = work / f"import-{root.name}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    for name in ("taxonomy.yaml", "partners.yaml", "rates.yaml"):
        shutil.copy(root / name, target / name)
    cmd = [*rmxl_cmd(), "import", "--ledger", str(target), str(book / "ledger.xlsx")]
    return check_ok(run(cmd, env), cmd).seconds


def bench_build(n: int, root: Path, work: Path) -> dict[str, float]:
    """Two builds without cache: wall time and peak memory (the larger of the two), whether
    the two workbooks are byte-identical, and whether the Agreements, Contributions and
    Parties sheets are Excel tables with filters."""
    books = [work / f"book-{n}-{i}.xlsx" for i in range(2)]
    runs = [
        check_ok(
            run(
                [*rmxl_cmd(), "build", "--ledger", str(root), "--out", str(b)],
                env_with(RMXL_CACHE="0"),
            ),
            ["build"],
        )
        for b in books
    ]
    same = books[0].read_bytes() == books[1].read_bytes()
    return {
        "build": median([r.seconds for r in runs]),
        "build_mb": max(r.max_rss_kb for r in runs) / 1024,
        "build_same": float(same),
        "build_tables": float(
            tables_with_filters(books[0]) >= {"Agreements", "Contributions", "Parties"}
        ),
    }


def tables_with_filters(book: Path) -> set[str]:
    """The names of the sheets of ``book`` that hold an Excel table with a filter."""
    import re
    import zipfile

    with zipfile.ZipFile(book) as z:
        names = set(z.namelist())
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        target = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
        target |= {k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)}
        out = set()
        for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', wb):
            sheet = target.get(rid, "").split("/")[-1]
            srels = f"xl/worksheets/_rels/{sheet}.rels"
            if srels not in names:
                continue
            for t in re.findall(r'Target="\.\./tables/([^"]+)"', z.read(srels).decode()):
                if "<autoFilter" in z.read(f"xl/tables/{t}").decode():
                    out.add(name)
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
    if unit == "ms":
        return f"{v * 1000:.1f} ms"
    return f"{v:.1f} µs" if v < 1000 else f"{v / 1000:.1f} ms"


def table(sizes: list[Size], boot: float, heavy: list[str]) -> list[list[str]]:
    def row(label: str, key: str, unit: str = "s") -> list[str]:
        return [label, *(fmt(s.figures.get(key), unit) for s in sizes)]

    def yes(label: str, key: str) -> list[str]:
        cells = [s.figures.get(key) for s in sizes]
        return [label, *("—" if c is None else "yes" if c else "NO" for c in cells)]

    rows = [
        row("`hledger check` (same number of transactions)", "hledger"),
        row("`bean-check -C` (no cache)", "bean"),
        row("`rmxl validate`, cold, no cache (`RMXL_CACHE=0`)", "cold"),
        row("ratio cold rmxl / hledger (target ≤ 1 at 10k, 100k)", "cold/hledger", "x"),
        row("ratio cold rmxl / bean-check", "cold/bean", "x"),
        row("`rmxl validate`, cold, one core (`taskset -c 0`)", "cold1"),
        row("`hledger check`, one core", "hledger1"),
        row("ratio cold rmxl / hledger, one core", "cold1/hledger1", "x"),
        row(f"baseline rmxl ({BASE_REV}), cold", "base"),
        row("ratio cold rmxl today / baseline", "cold/base", "x"),
        row("ratio cold rmxl today / baseline, one core", "cold1/base1", "x"),
        row("`rmxl validate`, cold, filling an empty cache", "fill"),
        row("ratio filling rmxl / hledger", "fill/hledger", "x"),
        row("cache writes per 1,000 agreements (filling − cold)", "writes_per_1k", "ms"),
        row("`rmxl validate`, warm (ledger unchanged)", "warm"),
        row("`rmxl validate`, 1 file of 14 changed", "changed"),
        row("`rmxl build`, no cache", "build"),
        row("`rmxl build`, peak memory", "build_mb", "MB"),
        yes("two builds byte-identical", "build_same"),
        yes("Agreements, Contributions, Parties: tables with filters", "build_tables"),
        row("Excel function, first call (compile and index)", "udf_first"),
        row("Excel function, a question not asked before, mean", "udf_new_mean", "µs"),
        row("Excel function, a question not asked before, p99", "udf_new_p99", "µs"),
        row("Excel function, a repeated question", "udf_repeated", "µs"),
        row("Excel function, recalculating 24 cells", "udf_us", "µs"),
        row("`rmxl import` of every agreement (xlsx, into an empty ledger)", "import"),
    ]
    rows = [r for r in rows if any(c != "—" for c in r[1:])]
    rows.append(["`rmxl --help` start-up", fmt(boot), *([""] * (len(sizes) - 1))])
    rows.append(["heavy modules imported by `rmxl validate`", ", ".join(heavy) or "none"])
    rows[-1] += [""] * (len(sizes) - 1)
    return rows


def verdicts(sizes: list[Size], heavy: list[str]) -> list[str]:
    """Issue 14's targets, each met or missed."""
    by = {s.n: s.figures for s in sizes}
    out = []

    def judge(text: str, n: int, key: str, limit: float) -> None:
        f = by.get(n, {})
        if key in f:
            ok = f[key] <= limit
            out.append(f"{'met   ' if ok else 'MISSED'}  {text}: {f[key]:.3g} (≤ {limit:g})")

    for n, k in ((10_000, "10k"), (100_000, "100k")):
        judge(f"cold validate {k} / hledger check (no cache)", n, "cold/hledger", 1.0)
        judge(f"cold validate {k} / hledger check (filling the cache)", n, "fill/hledger", 1.0)
    for n, k in ((10_000, "10k"), (100_000, "100k")):
        judge(f"cold validate {k}, one core, today / baseline", n, "cold1/base1", 1.0)
    small, large = by.get(10_000, {}), by.get(100_000, {})
    if "writes_per_1k" in small and "writes_per_1k" in large:
        ratio = large["writes_per_1k"] / max(small["writes_per_1k"], 0.005)
        out.append(
            f"{'met   ' if ratio <= 1.5 else 'MISSED'}  cache writes linear: per 1,000 "
            f"agreements at 100k / at 10k: {ratio:.2f} (≤ 1.5)"
        )
    judge("warm validate 10k (s)", 10_000, "warm", 0.15)
    judge("warm validate 100k (s)", 100_000, "warm", 1.0)
    judge("1 file of 14 changed 10k (s)", 10_000, "changed", 0.5)
    judge("1 file of 14 changed 100k (s)", 100_000, "changed", 2.0)
    judge("build 100k (s)", 100_000, "build", 30.0)
    judge("build 100k peak memory (MB)", 100_000, "build_mb", 1000.0)
    for n in by:
        for key, text in (("build_same", "byte-identical"), ("build_tables", "tables")):
            if key in by[n]:
                out.append(f"{'met   ' if by[n][key] else 'MISSED'}  build {n // 1000}k {text}")
    judge("new Excel question 100k, mean (µs)", 100_000, "udf_new_mean", 50.0)
    judge("new Excel question 100k, p99 (µs)", 100_000, "udf_new_p99", 2000.0)
    judge("repeated Excel question 100k (µs)", 100_000, "udf_repeated", 5.0)
    judge("rmxl import of 10,000 agreements (s)", 10_000, "import", 5.0)
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
    parser.add_argument("--repeat", type=int, default=5, help="paired rounds (median)")
    parser.add_argument("--keep", type=Path, help="write ledgers and journals here and keep them")
    parser.add_argument(
        "--skip", default="", help="any of build,udfs,field,onecore,import (comma-separated)"
    )
    parser.add_argument("--baseline", metavar="REV", help="also time rmxl as of this git revision")
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
        if args.baseline:
            global BASE, BASE_REV
            BASE, BASE_REV = baseline(args.baseline, work), args.baseline
        for size in sizes:
            root = generate(size.n, work / f"ledger-{size.n}")
            print(f"{size.n:,} agreements…", file=sys.stderr, flush=True)
            figures = bench_rmxl(size.n, root, work, args.repeat, skip, args.bean_check)
            size.figures.update(figures)
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
