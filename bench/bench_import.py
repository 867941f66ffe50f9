"""rmxl import speed: N agreements exported as xlsx, imported into an empty ledger.

``python bench/bench_import.py [--agreements 10000]`` generates a synthetic ledger
(bench/synth.py), writes its ``rmxl export --format xlsx`` workbook, copies its taxonomy,
partners and rates into a new ledger, and times ``rmxl import`` of the workbook there
(a fresh process, cache off: reading, matching, writing the YAML, validating the whole
ledger). Target (issue 13): 10,000 rows in at most 5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synth import generate

RMXL = [str(Path(sys.executable).with_name("rmxl"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=10_000)
    args = parser.parse_args(argv)
    env = dict(os.environ, RMXL_CACHE="0")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        generate(args.agreements, work / "source")
        out = ["--out", str(work / "export")]
        subprocess.run(
            [*RMXL, "export", "--ledger", str(work / "source"), "--format", "xlsx", *out],
            check=True,
            env=env,
        )
        target = work / "target"
        target.mkdir()
        for name in ("taxonomy.yaml", "partners.yaml", "rates.yaml"):
            shutil.copy(work / "source" / name, target / name)
        book = work / "export" / "ledger.xlsx"
        start = time.perf_counter()
        subprocess.run([*RMXL, "import", "--ledger", str(target), str(book)], check=True, env=env)
        took = time.perf_counter() - start
    print(f"rmxl import: {args.agreements:,} agreements in {took:.2f} s (target 5 s)")
    return 0 if took <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
