"""bandit finds nothing of medium or high severity in our code (issue 7).

The three low findings are the seeded random generators of the demo data. (pip-audit runs
in `make audit`: it needs advisory data from the network, which a test must not.)
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["config", "initiatives", "chartering", "learning", "mobilizing", "realigning"]


def test_bandit_finds_nothing_serious():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-r", *APPS, "-x", "*/migrations/*", "-f", "json", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    serious = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in report["results"]
        if r["issue_severity"] in ("MEDIUM", "HIGH")
    ]
    assert not serious, serious
    assert not report["errors"], report["errors"]
