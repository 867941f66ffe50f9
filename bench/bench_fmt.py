"""``rmxl fmt --check`` on one file of N commented agreements, against ``rmxl validate``
on the same ledger (issue 10: 5.5 s against 0.2 s at 1,200, the comment check comparing
every comment with every value).

``python bench/bench_fmt.py [--sizes 1200,4800] [--repeat 3]``

For each size it writes a synthetic ledger (:mod:`synth`, seed 0), gathers its
agreements into one already formatted file ``agreements.yaml`` with a comment line above
each agreement and an end-of-line comment on its ``id``, and times each command as a
fresh process (best of ``--repeat``; ``RMXL_CACHE=0``). Both columns should grow in
proportion to N (the ``per 1,000`` column stays flat); ``fmt`` stays slower than
``validate`` because ruamel.yaml's round trip is pure Python.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_speed import best, env_with, rmxl_cmd  # noqa: E402
from synth import generate  # noqa: E402


def commented_ledger(n: int, work: Path) -> Path:
    """A ledger of ``n`` agreements in one commented, formatted file; returns its folder."""
    root = generate(n, work / f"ledger-{n}")
    records: list[str] = []
    for path in sorted((root / "agreements").glob("*.yaml")):
        body = path.read_text(encoding="utf-8").split("\n", 1)[1]
        records += ["  - id:" + r for r in body.split("  - id:")[1:]]
        path.unlink()
    lines = ["agreements:\n"]
    for i, rec in enumerate(records):
        first, rest = rec.split("\n", 1)
        lines.append(f"  # agreement number {i}\n{first}  # eol comment {i}\n{rest}")
    (root / "agreements.yaml").write_text("\n".join(lines), encoding="utf-8")
    best([*rmxl_cmd(), "fmt", "--ledger", str(root)], 1, env_with(RMXL_CACHE="0"))
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1200,4800", help="comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    env = env_with(RMXL_CACHE="0")
    print("| agreements | `rmxl fmt --check` | `rmxl validate` | fmt per 1,000 |")
    print("|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="rmxl-bench-fmt-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            root = commented_ledger(n, Path(tmp))
            check = best([*rmxl_cmd(), "fmt", "--check", "--ledger", str(root)], args.repeat, env)
            valid = best([*rmxl_cmd(), "validate", "--ledger", str(root)], args.repeat, env)
            per = check.seconds / n * 1000
            print(f"| {n:,} | {check.seconds:.2f} s | {valid.seconds:.2f} s | {per:.2f} s |")
            shutil.rmtree(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
