"""The user's settings file: who is using the app.

One notion of "who": ``--user`` (or ``INSPECTOR_USER``), else the name saved
here, else the login name. The file is small JSON in the platform's user
config folder (``INSPECTOR_SETTINGS`` names another file: tests use it), so
it survives a new database and a demo reset. Beside it, an optional
``keymap.toml`` rebinds the app's keys by binding id.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from platformdirs import user_config_path

from .atomic_file import write_file_atomic
from .core.names import clean_text

SETTINGS_ENV = "INSPECTOR_SETTINGS"
MAX_USER = 40  # characters: a person's name, maybe with a unit


class SettingsError(ValueError):
    """A value that cannot be saved; ``key`` names the message."""

    def __init__(self, key: str, **params: object):
        self.key = key
        self.params = params
        super().__init__(key)


def settings_path() -> Path:
    override = os.environ.get(SETTINGS_ENV)
    if override:
        return Path(override)
    return user_config_path("inspector", appauthor=False) / "settings.json"


def _load() -> dict:
    """The saved settings; a missing or broken file reads as none (it only holds preferences)."""
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_user() -> str:
    user = _load().get("user")
    return clean_text(user) if isinstance(user, str) else ""


def user_is_saved() -> bool:
    return bool(load_user())


def save_user(name: str) -> str:
    """Save ``name`` as the user; returns it as saved. OSError when the file cannot be written."""
    user = clean_text(name)
    if not user:
        raise SettingsError("settings.user_empty")
    if len(user) > MAX_USER:
        raise SettingsError("settings.user_too_long", limit=MAX_USER)
    path = settings_path()
    data = {**_load(), "user": user}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file_atomic(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return user


def login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): stay anonymous rather than fail
        return "?"


def resolve_user(explicit: str | None = None) -> str:
    """``explicit`` (``--user``), else the saved name, else the login name."""
    return clean_text(explicit or "") or load_user() or login_name()


# The keymap: the user's own keys for the app's bindings (binding id -> keys).

KEYMAP_FILE = "keymap.toml"
_KEYS = re.compile(r"^[^\s,]+( *, *[^\s,]+)*$")  # "e", "ctrl+e", "f5, e": Textual's key names, comma-separated


def keymap_path() -> Path:
    """``keymap.toml`` beside the settings file (the user config folder, or beside ``INSPECTOR_SETTINGS``)."""
    return settings_path().with_name(KEYMAP_FILE)


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """The keymap file as {binding id: keys}; {} when there is none.

    Ids may be written quoted (``"review.extend" = "e"``) or as tables
    (``[review]`` then ``extend = "e"``). A file that cannot be read or holds
    something else raises SettingsError naming the file, and the line or id.
    """
    import tomllib

    path = path or keymap_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError("keymap.unreadable", path=path, error=getattr(exc, "strerror", None) or exc) from exc
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))  # else "at end of document": its last line
        line = found.group(1) if found else str(max(1, len(text.splitlines())))
        raise SettingsError("keymap.bad_toml", path=path, line=line) from exc
    keymap: dict[str, str] = {}

    def walk(node: dict, prefix: str) -> None:
        for name, value in node.items():
            binding_id = prefix + name
            if isinstance(value, dict):
                walk(value, binding_id + ".")
            elif isinstance(value, str) and _KEYS.match(value.strip()):
                keymap[binding_id] = ",".join(part.strip() for part in value.split(","))
            else:
                raise SettingsError("keymap.bad_keys", path=path, id=binding_id)

    walk(table, "")
    return keymap
