"""Folder sync through a real engine: two Syncthing instances on loopback share the folder two databases sync through.

Each instance has its own home (keys, config, index), its GUI/REST API and its
sync protocol on 127.0.0.1 ports picked free at start, and nothing that talks
to the outside world (no discovery, relays, NAT traversal, STUN, usage
reports, crash reports or upgrades), so the test runs offline and never
touches the user's own Syncthing. Skipped when ``syncthing`` is not on PATH
(CI installs Debian's package: see .ci/run).
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from typing import Callable

import pytest

from inspector import device
from inspector.cli import main
from inspector.core import moves
from inspector.wiring import open_database

SYNCTHING = shutil.which("syncthing")
pytestmark = pytest.mark.skipif(SYNCTHING is None, reason="syncthing is not installed (on Debian: apt-get install syncthing)")

FOLDER_ID = "inspector-bundles"
WAIT = 60  # seconds a file may take to cross; on loopback it takes one to three


def free_port() -> int:
    """A port nobody listens on now (the OS picks it); Syncthing binds it a moment later."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _set(parent: ET.Element, tag: str, text: str) -> None:
    """Set (or add) the one child ``tag`` of ``parent`` to ``text``."""
    node = parent.find(tag)
    if node is None:
        node = ET.SubElement(parent, tag)
    node.text = text


class Peer:
    """One Syncthing instance: its home folder, its ports and its shared folder."""

    def __init__(self, base: Path, name: str) -> None:
        self.name = name
        self.home = base / f"{name}-syncthing"
        self.folder = base / f"{name}-shared"
        self.log = base / f"{name}-syncthing.log"
        self.gui_port = free_port()
        self.sync_port = free_port()
        self.api_key = secrets.token_hex(16)
        self.process: subprocess.Popen | None = None
        self.asked = False
        # HOME too, so that nothing is written into the user's own Syncthing or home folder.
        self.env = {**os.environ, "HOME": str(self.home), "STNODEFAULTFOLDER": "1", "STNOUPGRADE": "1",
                    "STNORESTART": "1"}
        # The keys and a default config (the device id is the only device in it).
        made = subprocess.run([SYNCTHING, "generate", f"--home={self.home}"], env=self.env, capture_output=True,
                              text=True, timeout=60)
        assert made.returncode == 0, f"syncthing generate: {made.stdout}{made.stderr}"
        self.tree = ET.parse(self.config)
        self.device_id = self.tree.getroot().find("device").get("id")

    @property
    def config(self) -> Path:
        return self.home / "config.xml"

    def share_with(self, other: "Peer") -> None:
        """Write this instance's config: loopback only, the other instance as its one peer, one shared folder."""
        root = self.tree.getroot()
        for node in root.findall("folder"):  # a default folder some versions add anyway
            root.remove(node)
        gui = root.find("gui")
        gui.set("enabled", "true")
        gui.set("tls", "false")
        _set(gui, "address", f"127.0.0.1:{self.gui_port}")
        _set(gui, "apikey", self.api_key)
        options = root.find("options")
        for node in options.findall("listenAddress"):
            options.remove(node)
        ET.SubElement(options, "listenAddress").text = f"tcp://127.0.0.1:{self.sync_port}"
        for tag, value in {
            "globalAnnounceEnabled": "false",  # no global discovery server
            "localAnnounceEnabled": "false",  # no LAN broadcast: the peer's address is given
            "relaysEnabled": "false",  # no relay servers
            "natEnabled": "false",  # no UPnP/NAT-PMP
            "stunKeepaliveStartS": "0",  # no STUN servers
            "announceLANAddresses": "false",
            "urAccepted": "-1",  # usage reporting refused (and never asked)
            "urSeen": "3",
            "crashReportingEnabled": "false",
            "autoUpgradeIntervalH": "0",  # Debian's package does not upgrade itself; make sure
            "startBrowser": "false",
            "reconnectionIntervalS": "1",  # the peer that starts first dials again at once, not after 60 s
            "setLowPriority": "false",
        }.items():
            _set(options, tag, value)
        defaults = root.find("defaults")

        device = copy.deepcopy(defaults.find("device")) if defaults is not None and defaults.find("device") is not None \
            else ET.Element("device")
        device.tag = "device"
        device.set("id", other.device_id)
        device.set("name", other.name)
        for node in device.findall("address"):
            device.remove(node)
        ET.SubElement(device, "address").text = f"tcp://127.0.0.1:{other.sync_port}"
        root.append(device)

        folder = copy.deepcopy(defaults.find("folder")) if defaults is not None and defaults.find("folder") is not None \
            else ET.Element("folder")
        for node in folder.findall("device"):
            folder.remove(node)
        for key, value in {"id": FOLDER_ID, "label": "inspector bundles", "path": str(self.folder),
                           "type": "sendreceive", "rescanIntervalS": "5", "fsWatcherEnabled": "true",
                           "fsWatcherDelayS": "1"}.items():
            folder.set(key, value)
        for did in (self.device_id, other.device_id):
            ET.SubElement(folder, "device", {"id": did, "introducedBy": ""})
        root.append(folder)
        self.tree.write(self.config, encoding="utf-8", xml_declaration=False)
        # The folder and its marker made here: Syncthing refuses to sync a folder whose marker is missing.
        (self.folder / ".stfolder").mkdir(parents=True, exist_ok=True)

    def start(self) -> None:
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([SYNCTHING, "serve", f"--home={self.home}", "--no-browser", "--no-restart",
                                             "--no-upgrade"], env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(f"http://127.0.0.1:{self.gui_port}{path}", method=method,
                                         headers={"X-API-Key": self.api_key})
        with urllib.request.urlopen(request, timeout=5) as answer:
            body = answer.read()
        return json.loads(body) if body.strip() else None

    def ready(self) -> bool:
        try:
            return self.api("/rest/system/ping") == {"ping": "pong"}
        except (OSError, ValueError):
            return False

    def connected_to(self, other: "Peer") -> bool:
        try:
            connections = self.api("/rest/system/connections")["connections"]
        except (OSError, ValueError, KeyError, TypeError):
            return False
        return bool(connections.get(other.device_id, {}).get("connected"))

    def ask_to_stop(self) -> None:
        """Ask it to shut down (it closes its index cleanly); ``stop`` waits for it."""
        if self.process is not None and self.process.poll() is None and not self.asked:
            self.asked = True
            try:
                self.api("/rest/system/shutdown", method="POST")
            except (OSError, ValueError):
                pass

    def stop(self) -> None:
        """Wait for it to end, asked or not; terminate (then kill) it if it has not within 10 s."""
        if self.process is None:
            return
        self.ask_to_stop()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def story(self) -> str:
        """The end of its log, for a failure message."""
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-25:])
        except OSError:
            return ""


def wait_for(what: str, check: Callable[[], bool], peers: list[Peer], timeout: float = WAIT) -> float:
    """Poll ``check`` until true; the seconds it took, or a failure carrying both instances' logs."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():
            return time.monotonic() - start
        for peer in peers:
            if peer.process is not None and peer.process.poll() is not None:
                pytest.fail(f"syncthing {peer.name} exited ({peer.process.returncode}) while waiting for {what}:\n"
                            f"{peer.story()}")
        time.sleep(0.2)
    pytest.fail(f"{what}: not within {timeout:.0f} s\n" + "\n".join(f"--- {p.name}\n{p.story()}" for p in peers))


@pytest.fixture
def pair(tmp_path: Path):
    """Two running Syncthing instances, A and B, that share one folder; both stopped afterwards."""
    if subprocess.run([SYNCTHING, "generate", "--help"], capture_output=True, timeout=30).returncode != 0:
        version = subprocess.run([SYNCTHING, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
        pytest.skip(f"this syncthing is too old for the test (no `syncthing generate`: 1.13 or later): {version}")
    a, b = Peer(tmp_path, "A"), Peer(tmp_path, "B")
    a.share_with(b)
    b.share_with(a)
    try:
        a.start()
        b.start()
        wait_for("both instances answer", lambda: a.ready() and b.ready(), [a, b])
        wait_for("A and B connected", lambda: a.connected_to(b) and b.connected_to(a), [a, b])
        yield a, b
    finally:
        a.ask_to_stop()  # both at once: each takes about a second to close its index
        b.ask_to_stop()
        a.stop()
        b.stop()


# ── two laptops ─────────────────────────────────────────────────────────────────

TODAY = "2026-11-21"
NOW = datetime(2026, 11, 21, 10, 0, 0)


class Laptop:
    """One simulated laptop: its device identity, its database and the synced folder of its Syncthing."""

    def __init__(self, base: Path, name: str, peer: Peer, monkeypatch, capsys) -> None:
        self.device_file = base / f"{peer.name}-device" / "device.json"
        self.db = base / f"{peer.name}-db"
        self.folder = peer.folder
        self.monkeypatch, self.capsys = monkeypatch, capsys
        self.cli("device", "name", name)
        self.id = self.use().id

    def use(self):
        """Make this laptop's device the one the app sees (INSPECTOR_DEVICE), and return it."""
        self.monkeypatch.setenv("INSPECTOR_DEVICE", str(self.device_file))
        return device.this_device()

    def cli(self, *args: str) -> str:
        """Run the command line as this laptop; its standard output (a failure shows what it printed)."""
        self.use()
        self.capsys.readouterr()
        status = main(["--db", str(self.db), "--today", TODAY, *args])
        out, err = self.capsys.readouterr()
        assert status == 0, f"inspector {' '.join(args)} -> {status}\n{out}{err}"
        return out

    def record(self, vid: str, fid: str, kind: str, **fields) -> None:
        """A move made on this laptop (what the review screen does), through core's one way to change a finding."""
        self.use()
        db = open_database(self.db, clock=lambda: NOW)
        try:
            moves.record(db.store(vid), fid, kind, by="督查员", **fields)
        finally:
            db.close()

    def sync(self) -> str:
        return self.cli("sync", "folder", str(self.folder), "--trust")

    def bundle(self) -> Path:
        return self.folder / f"{self.id}.inspector-bundle"

    def finding(self, fid: str) -> dict:
        return json.loads(self.cli("finding", "show", fid, "--json"))

    def overdue(self) -> list:
        return json.loads(self.cli("overdue", "--format", "json"))


def arrived(file: Path, at: Path):
    """Whether ``file`` has reached the folder ``at`` whole (Syncthing renames a finished temp file into place)."""
    data = file.read_bytes()
    target = at / file.name

    def check() -> bool:
        try:
            return target.read_bytes() == data
        except OSError:
            return False

    return check


def test_a_finding_recorded_on_one_laptop_reaches_the_other_with_its_events(pair, tmp_path, monkeypatch, capsys):
    """An inspector's move goes to the supervisor, the supervisor's extension comes back: one picture on both."""
    a_st, b_st = pair
    inspector = Laptop(tmp_path, "李明的笔记本", a_st, monkeypatch, capsys)
    supervisor = Laptop(tmp_path, "王芳督导", b_st, monkeypatch, capsys)
    inspector.cli("demo", "--villages", "2")
    target = inspector.overdue()[0]
    fid, vid = target["id"], target["village_id"]
    inspector.record(vid, fid, "progress", note="村里已撤除一半的牌子")

    inspector.sync()
    took = [wait_for("A's bundle reaches B", arrived(inspector.bundle(), supervisor.folder), pair)]
    report = supervisor.sync()
    assert "李明的笔记本" in report  # the device is named (and its fingerprint shown) when trusted
    mine = inspector.finding(fid)
    theirs = supervisor.finding(fid)
    assert theirs == mine  # same ids, same history, same derived state
    assert theirs["events"][-1]["type"] == "progress" and theirs["events"][-1]["device"] == inspector.id
    assert supervisor.overdue() == inspector.overdue()

    # The supervisor extends it; the extension travels back the same way.
    supervisor.record(vid, fid, "extend", note="需协调县里统一更换", deadline="2027-01-31")
    supervisor.sync()
    took.append(wait_for("B's bundle reaches A", arrived(supervisor.bundle(), inspector.folder), pair))
    inspector.sync()
    mine, theirs = inspector.finding(fid), supervisor.finding(fid)
    assert mine == theirs
    assert [e["type"] for e in mine["events"]][-2:] == ["progress", "extend"]
    assert mine["deadline"] == "2027-01-31" and not mine["overdue"]
    overdue = inspector.overdue()
    assert overdue == supervisor.overdue()
    assert fid not in [row["id"] for row in overdue]
    print("bundles crossed in " + ", ".join(f"{s:.1f} s" for s in took))
