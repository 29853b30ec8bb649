"""This device: its id, its name and its signing key, made on first use and kept in the user's data folder.

Every event a database records carries the id of the device it was made on
(core/records.Event), so the events of several laptops have one order and a
supervisor can tell whose they are. The key pair (Ed25519, from the
``cryptography`` package) signs what this device sends to others (sync
bundles); the private key never leaves this folder. The files are the
user's, not a database's: they survive a new database and a demo reset
(``INSPECTOR_DEVICE`` names another device.json: tests use it; the key is
kept beside it as device.key, readable by the user only).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from .atomic_file import write_file_atomic
from .core import ids
from .core.errors import UserError
from .core.names import clean_text
from .paths import data_folder

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

# cryptography is imported where a key is made or used, not at every start (40 ms):
# recording an event needs only this device's id.
DEVICE_ENV = "INSPECTOR_DEVICE"
MAX_NAME = 40


@dataclass(frozen=True)
class Device:
    id: str
    name: str
    public_key: bytes = b""  # raw Ed25519 public key (32 bytes); empty when the key could not be kept

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def fingerprint(public_key: bytes) -> str:
    """What people compare to trust a device: 16 hex digits of the key's hash, in groups of four."""
    if not public_key:
        return ""
    digest = hashlib.sha256(public_key).hexdigest()[:16].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def device_path() -> Path:
    override = os.environ.get(DEVICE_ENV)
    return Path(override) if override else data_folder() / "device.json"


def key_path() -> Path:
    return device_path().with_name("device.key")


def _write(path: Path, data: bytes, mode: int = 0o666) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file_atomic(path, data, mode=mode)


def _save(device: Device) -> None:
    data = {"id": device.id, "name": device.name, "public_key": base64.b64encode(device.public_key).decode()}
    _write(device_path(), (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def _private_key() -> "Ed25519PrivateKey | None":
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(key_path().read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    return key if isinstance(key, Ed25519PrivateKey) else None


def _new_key() -> "Ed25519PrivateKey":
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    _write(key_path(), pem, 0o600)
    return key


def _raw(public: "Ed25519PublicKey") -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class DeviceFileError(UserError):
    """device.json is there but cannot be read as this device: refused, never replaced.

    It holds the id every record of this laptop carries (and other laptops and
    the roster know it by); a new one made silently would make this laptop a
    stranger to them, and its key a new one. The user restores it, or moves it
    away to start as a new device."""


def this_device() -> Device:
    """This device, made (and saved) the first time; DeviceFileError when its file is damaged.

    A folder that cannot be written leaves a device for this run only, so
    recording is never refused for want of it (signing then is: see sign()).
    """
    path = device_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return _with_key(Device(ids.new_id(None), socket.gethostname() or "inspector"))
    except (OSError, ValueError) as exc:
        raise DeviceFileError("device.broken", path=path) from exc
    if not (isinstance(data, dict) and ids.is_id(str(data.get("id", "")))):
        raise DeviceFileError("device.broken", path=path)
    try:
        public = base64.b64decode(str(data.get("public_key", "")), validate=True)
    except ValueError:
        public = b""
    device = Device(data["id"], str(data.get("name") or socket.gethostname()), public)
    if len(public) == 32:
        return device  # its key is checked when it signs (sign())
    return _with_key(device)  # a device from before keys (or that lost its key's record): it keeps its id


def _with_key(device: Device) -> Device:
    """``device`` with its key: the one already kept beside it when it reads, else a new pair, saved.

    A key file that does not read is kept aside (device.key.N.old), never written over.
    For this run only when the folder cannot be written (without a key when even the key could not be kept).
    """
    try:
        key = _private_key()
        if key is None:
            _keep_aside(key_path())
            key = _new_key()
        device = Device(device.id, device.name, _raw(key.public_key()))
        _save(device)
    except OSError:
        pass
    return device


def _keep_aside(path: Path) -> None:
    """Move ``path`` (if there) to the first free ``<name>.N.old``."""
    if not path.exists():
        return
    n = 1
    while path.with_name(f"{path.name}.{n}.old").exists():
        n += 1
    os.replace(path, path.with_name(f"{path.name}.{n}.old"))


def rename(name: str) -> Device:
    """Give this device the name people will see beside its records (UserError when empty or too long)."""
    name = clean_text(name)
    if not name:
        raise UserError("device.name_empty")
    if len(name) > MAX_NAME:
        raise UserError("device.name_too_long", limit=MAX_NAME)
    current = this_device()
    device = Device(current.id, name, current.public_key)
    _save(device)
    return device


def sign(data: bytes) -> bytes:
    """This device's Ed25519 signature of ``data``; UserError when its key cannot be read."""
    me = this_device()  # makes the key the first time
    key = _private_key()
    if key is None or _raw(key.public_key()) != me.public_key:
        raise UserError("device.no_key", path=key_path())
    return key.sign(data)


def verify(public_key: bytes, signature: bytes, data: bytes) -> bool:
    """Whether ``signature`` is the signature of ``data`` by the holder of ``public_key``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True
