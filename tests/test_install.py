"""A normal (non-editable) install carries the catalog inside the package.

The wheel is built from a copy of the source tree (so the checkout is not
touched), installed into a fresh venv, and `inspector catalog list` is run from
a folder outside the repository. The fresh venv borrows the runtime
dependencies of the test interpreter through a .pth file instead of downloading
them, which keeps the test to a few seconds.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "inspector", src / "inspector", ignore=ignore)
    shutil.copytree(REPO / "data", src / "data", ignore=ignore)
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"), str(src)],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    (found,) = (tmp / "dist").glob("inspector-*.whl")
    return found


def test_wheel_holds_every_module_and_the_catalog(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "inspector").rglob("*.py") if "__pycache__" not in p.parts}
    assert modules - names == set()
    catalog = {"inspector/data/" + p.relative_to(REPO / "data").as_posix() for p in (REPO / "data").rglob("*.toml")}
    assert catalog and catalog - names == set()
    assert "inspector/ui/app.tcss" in names and "inspector/locales/zh.toml" in names


def test_installed_wheel_lists_the_catalog_from_outside_the_repo(wheel: Path, tmp_path: Path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    # Runtime dependencies come from this interpreter's site-packages, after the venv's own.
    deps = [p for p in {sysconfig.get_paths()["purelib"], *site.getsitepackages()} if Path(p).is_dir()]
    Path(purelib, "borrowed_deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, install.stderr
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "INSPECTOR_CATALOG")}
    located = subprocess.run([str(python), "-c", "import inspector; print(inspector.__file__)"],
                             cwd=work, env=env, capture_output=True, text=True, check=True).stdout
    assert str(REPO) not in located  # the installed copy, not the checkout
    exe = bindir / ("inspector.exe" if os.name == "nt" else "inspector")
    listed = subprocess.run([str(exe), "--lang", "en", "catalog", "list"], cwd=work, env=env,
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr
    for name in ("Chongqing work-item lists", "Jinji town", "Sichuan: Guidance", "certificates that villages"):
        assert name in listed.stdout
    checked = subprocess.run([str(exe), "catalog", "check"], cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    assert str(venv) in checked.stdout  # the catalog checked is the one inside the installed package
