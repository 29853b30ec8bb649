"""`inspector --version` imports nothing but the package's own name (issue 13: short commands start fast)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import io, json, sys, contextlib
sys.argv = ["inspector", "--version"]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    from inspector.entry import main
    status = main()
print(json.dumps({"status": status, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def test_version_answers_without_importing_the_command_line():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    assert result["status"] == 0 and result["out"].startswith("inspector ")
    loaded = set(result["modules"])
    assert not loaded & {"argparse", "inspector.cli", "inspector.i18n", "tinydb", "textual", "rich"}


def test_the_installed_script_and_python_m_use_the_same_entry():
    from pathlib import Path
    import tomllib

    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["inspector"] == "inspector.entry:main"
    done = subprocess.run([sys.executable, "-m", "inspector", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("inspector ")
