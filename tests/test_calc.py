"""rmxl.calc without LibreOffice: the helper's protocol and lifetime, the .oxt, and the
install command's refusals (issue 12). The round trip through LibreOffice itself is in
test_libreoffice_functions.py.

The inline ledger (tests/conftest.py): 2022 funds USD 2,650,000 (A-1 USD 2,550,000 in
Africa, A-2 USD 100,000 in Africa + Europe).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from rmxl.calc.helper import respond

from conftest import run_cli


def helper(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "rmxl.calc.helper"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


def test_a_request_line_gets_the_cells_answer(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = small.parent / "workbook" / "rm.xlsx"  # the ledger is found from the workbook
    monkeypatch.delenv("RMXL_LEDGER", raising=False)
    proc = helper({})
    try:
        assert proc.stdin is not None and proc.stdout is not None
        for args, want in [
            (["region", "Africa", 2022.0], 2_550_000 / 2_650_000),
            (
                ["region", [["Africa"], [None]], 2022.0],
                "bucket is a range of 2 cells; give one value (one cell)",
            ),
        ]:
            proc.stdin.write(json.dumps({"fn": "RM_SHARE", "args": args, "book": str(book)}) + "\n")
            proc.stdin.flush()
            assert json.loads(proc.stdout.readline()) == {"value": want}
        proc.stdin.write(
            json.dumps({"fn": "RM_BREAKDOWN", "args": ["region", "2022-09"], "book": str(book)})
            + "\n"
        )
        proc.stdin.flush()
        table = json.loads(proc.stdout.readline())["value"]
        assert table[1] == ["Africa", 0.0, None]  # 2022-09 has no money: an empty share
        proc.stdin.close()  # LibreOffice quit: the helper stops
        assert proc.wait(timeout=10) == 0
    finally:
        proc.kill()


def test_the_helper_stops_by_itself_when_idle() -> None:
    proc = helper({"RMXL_HELPER_IDLE": "0.5"})
    try:
        start = time.monotonic()
        assert proc.wait(timeout=20) == 0  # its stdin is still open
        assert time.monotonic() - start < 15
    finally:
        proc.kill()


def test_a_bad_request_is_a_message_not_a_crash() -> None:
    assert respond("not json")["value"].startswith("rmxl helper failed: JSONDecodeError")
    reply = respond(json.dumps({"fn": "RM_TOTAL", "args": [2022], "book": "relative/rm.xlsx"}))
    assert isinstance(reply["value"], str | float)  # a relative path is ignored, not trusted


def test_package_writes_the_extension(tmp_path: Path) -> None:
    out = tmp_path / "rmxl.oxt"
    code, _, err = run_cli("libreoffice", "package", "--out", str(out))
    assert code == 0, err
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as z:
        assert {"META-INF/manifest.xml", "rmxl_calc.py", "rmxl.idl", "functions.bas"} <= set(
            z.namelist()
        )
        assert json.loads(z.read("config.json"))["python"] == sys.executable
        basic = z.read("functions.bas").decode()
    for name in ("RM_SHARE", "RM_TOTAL", "RM_BREAKDOWN", "RM_TOP", "RM_INFO"):
        assert f"Function {name}(" in basic


def test_install_without_libreoffice_says_what_to_do(tmp_path: Path) -> None:
    code, _, err = run_cli(
        "libreoffice",
        "install",
        "--profile",
        str(tmp_path / "p"),
        "--soffice",
        str(tmp_path / "none"),
    )
    assert code == 1 and "could not run" in err and "Traceback" not in err
    (tmp_path / "busy" / "user").mkdir(parents=True)
    (tmp_path / "busy" / "user" / ".lock").write_text("")
    code, _, err = run_cli(
        "libreoffice", "install", "--profile", str(tmp_path / "busy"), "--soffice", "x"
    )
    assert code == 1 and "close it first" in err
