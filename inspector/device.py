"""This device: its id and its name, made on first use and kept in the user's data folder.

Every event a database records carries the id of the device it was made on
(core/records.Event), so the events of several laptops have one order and a
supervisor can tell whose they are. The file is the user's, not a
database's: it survives a new database and a demo reset (``INSPECTOR_DEVICE``
names another file: tests use it).
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from .core import ids
from .paths import data_folder

DEVICE_ENV = "INSPECTOR_DEVICE"


@dataclass(frozen=True)
class Device:
    id: str
    name: str


def device_path() -> Path:
    override = os.environ.get(DEVICE_ENV)
    return Path(override) if override else data_folder() / "device.json"


def this_device() -> Device:
    """This device, made (and saved) the first time; a file that cannot be read or written
    leaves a device for this run only, so nothing is refused for want of it."""
    path = device_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and ids.is_id(str(data.get("id", ""))):
            return Device(data["id"], str(data.get("name") or socket.gethostname()))
    except (OSError, ValueError):
        pass
    device = Device(ids.new_id(None), socket.gethostname() or "inspector")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            temp.write_text(json.dumps({"id": device.id, "name": device.name}, ensure_ascii=False) + "\n", encoding="utf-8")
            os.replace(temp, path)
        finally:
            temp.unlink(missing_ok=True)
    except OSError:
        pass
    return device
