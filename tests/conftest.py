"""Shared test helpers: write a ledger inline, as text, into tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from rmxl.diagnostics import Diagnostic
from rmxl.pipeline.load import check

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "ledger"
SHARED = ROOT.parent / "shared"

TAXONOMY = """\
taxonomy:
  regions:
    multi_label: Multi-regions
    values:
      - {code: africa, label: Africa}
      - {code: americas, label: Americas}
      - {code: arab-states, label: Arab States}
      - {code: asia-pacific, label: Asia-Pacific}
      - {code: cis, label: CIS}
      - {code: europe, label: Europe}
  partner_types:
    values:
      - {code: government, label: Governmental entities, iati: "10"}
      - {code: private-sector, label: Private sector entities, iati: "70"}
      - {code: academia, label: Academia, iati: "80"}
      - {code: un, label: UN organizations, iati: "40"}
      - {code: foundation, label: Foundations, iati: "60"}
      - {code: other, label: Others, iati: "90"}
  membership:
    values:
      - {code: ADMIN, label: ITU ADMIN}
      - {code: SIO, label: ITU-D Sector Member (SIO)}
  action_plans:
    - code: baap
      label: Buenos Aires Action Plan (WTDC-17)
      from: 2018-01-01
      to: 2022-12-31
      multi_label: Multi-thematic
      priorities:
        - {code: cybersecurity, label: Cybersecurity}
        - {code: digital-inclusion, label: Digital Inclusion}
    - code: kap
      label: Kigali Action Plan (WTDC-22)
      from: 2023-01-01
      multi_label: Multi-priorities
      priorities:
        - {code: affordable-connectivity, label: Affordable connectivity}
        - {code: digital-transformation, label: Digital transformation}
"""

PARTNERS = """\
partners:
  - {id: ch-fdfa, name: Swiss FDFA, type: government, membership: ADMIN, country: CH}
  - {id: no-mfa, name: Norway MFA, type: government, country: NO}
  - {id: acme, name: Acme Telecom, type: private-sector, membership: SIO}
  - {id: uni-x, name: University X, type: academia}
"""

RATES = """\
rates:
  CHF:
    2022-01-01: 0.96
    2022-06-01: 0.8
"""

AGREEMENTS = """\
agreements:
  - id: A-1
    title: Smart villages
    signed: 2022-03-14
    partners: [ch-fdfa]
    regions: [africa]
    priorities: [digital-inclusion]
    contributions:
      - {by: ch-fdfa, amount: 2400000, currency: CHF}
      - {by: ITU, amount: 50000, currency: USD}
  - id: A-2
    title: Cyber drills
    signed: 2022-07-01
    partners: [no-mfa, acme]
    regions: [africa, europe]
    priorities: [cybersecurity]
    contributions:
      - {by: acme, amount: 100000, currency: USD}
  - id: A-3
    title: MoU on skills
    signed: 2022-09-30
    partners: [uni-x, acme]
    regions: [europe]
    priorities: [cybersecurity, digital-inclusion]
  - id: A-4
    title: Connectivity
    signed: 2023-02-01
    partners: [uni-x]
    regions: [americas]
    priorities: [affordable-connectivity]
    contributions:
      - {by: uni-x, amount: 8000, currency: CHF}
"""

ONE_AGREEMENT = """\
agreements:
  - id: Z-1
    title: Test
    signed: 2022-03-14
    partners: [ch-fdfa]
    regions: [africa]
    priorities: [digital-inclusion]
"""
"""An agreements file of one agreement (lines 2-7) without contributions, to extend."""


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests keep rmxl's cache in a folder of their own, not the user's ~/.cache/rmxl."""
    import os

    os.environ["RMXL_CACHE_DIR"] = str(tmp_path_factory.mktemp("rmxl-cache"))


def write_ledger(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: YAML text}`` (dedented) under ``root``; return ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def base_files(**overrides: str) -> dict[str, str]:
    files = {
        "taxonomy.yaml": TAXONOMY,
        "partners.yaml": PARTNERS,
        "rates.yaml": RATES,
        "agreements/2022.yaml": AGREEMENTS,
    }
    files.update(overrides)
    return files


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache folder for this test (not yet created), the cache switched on."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("RMXL_CACHE_DIR", str(folder))
    monkeypatch.delenv("RMXL_CACHE", raising=False)
    return folder


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A small valid ledger (spec taxonomy subset, four agreements)."""
    return write_ledger(tmp_path / "ledger", base_files())


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run ``rmxl ARGS`` in process: ``(exit status, stdout, stderr)``."""
    from click.testing import CliRunner

    from rmxl.cli import main

    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def codes(diags: list[Diagnostic], severity: str | None = "error") -> list[tuple[str, int]]:
    """``[(code, line)]`` of the diagnostics (of one severity, or all if None)."""
    return [
        (d.code, d.source.line if d.source else 0)
        for d in diags
        if severity is None or d.severity == severity
    ]


def diagnose(root: Path) -> list[Diagnostic]:
    return check(root)[1]


def live_formula(text: str) -> str:
    """The RM_ formula of an Analysis cell: ``=IF(ISERROR(RM_INFO(..)),stored,F)`` → ``=F``
    (rmxl.render.workbook.analysis.with_stored); any other text as it is."""
    prefix = '=IF(ISERROR(RM_INFO("agreements")),'
    if not isinstance(text, str) or not text.startswith(prefix):
        return text
    body, depth, quoted = text[len(prefix) : -1], 0, False
    for i, ch in enumerate(body):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "({":
            depth += 1
        elif not quoted and ch in ")}":
            depth -= 1
        elif not quoted and ch == "," and depth == 0:
            return "=" + body[i + 1 :]
    return text
