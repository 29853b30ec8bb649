"""`inspector device show|name` and `inspector sync devices`: this device, and the devices a database knows.

    inspector device show [--json]   this device: short id, name, role on the roster in force, key fingerprint
    inspector device name NAME       rename this device (the name others see beside its records and bundles)
    inspector sync devices [--json]  the devices this database knows: name, fingerprint, trusted, last import/export

What a database keeps of each device (the registry table "devices", written
by the sync verbs): ``name``, ``public_key`` (base64, the key its bundles were
signed with when first trusted), ``trusted`` (bool), ``last_import`` (ISO
time of the last import of one of its bundles), ``last_export`` (this device
only: when its last bundle was written), ``last_bundle`` (sha256 of the last
bundle file imported from it: folder sync skips a file it has already read).
Exit status: 0 done; 1 a refused name (empty, too long); 2 not a database.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from typing import Any, Callable

from .. import device
from ..core import ids
from ..core.errors import UserError
from ..i18n import t
from .villages import format_table


def add_parser(verbs, verb: Callable[..., argparse.ArgumentParser]) -> None:
    """``device show|name`` (``verb`` is cli.py's helper: a subparser with the global options)."""
    parser = verbs.add_parser("device", help=t("sync.help.device"), description=t("sync.help.device"))
    sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser), metavar=t("cli.metavar.action"))
    show = verb(sub, "show", "sync.help.device_show")
    show.add_argument("--json", action="store_true", help=t("commands.help_json"))
    name = verb(sub, "name", "sync.help.device_name")
    name.add_argument("name", metavar=t("sync.metavar.name"), help=t("sync.help.new_name"))


def run(args: argparse.Namespace, open_db) -> int:
    if args.action == "name":
        try:
            renamed = device.rename(args.name)
        except UserError as exc:
            print(exc.message(), file=sys.stderr)
            return 1
        print(t("sync.device_renamed", name=renamed.name, id=ids.short(renamed.id)))
        return 0
    return show(args, open_db)


def roster_doc(args: argparse.Namespace, open_db) -> dict | None:
    """The roster in force in the database ``args`` names, if that database exists and has one."""
    from ..paths import default_db
    from ..wiring import is_database

    path = args.db or default_db()
    if not is_database(path):
        return None
    with open_db(args, read_only=True) as db:
        return db.roster()


def role_of(roster: dict | None, device_id: str) -> str:
    """A device's role as people read it: its role on the roster, "not on the roster", or "no roster"."""
    if roster is None:
        return t("sync.role.no_roster")
    entry = next((e for e in roster.get("entries", []) if e.get("device") == device_id), None)
    if entry is None:
        return t("sync.role.not_listed")
    role = t(f"sync.role.{entry.get('role')}")
    return t("sync.role.revoked", role=role) if entry.get("revoked") else role


def show(args: argparse.Namespace, open_db) -> int:
    me = device.this_device()
    roster = roster_doc(args, open_db)
    role = role_of(roster, me.id)
    if args.json:
        entry = next((e for e in (roster or {}).get("entries", []) if e.get("device") == me.id), None)
        print(json.dumps({"id": me.id, "short_id": ids.short(me.id), "name": me.name,
                          "role": entry.get("role") if entry else None, "role_label": role,
                          "county": roster.get("county") if roster else None,
                          "fingerprint": me.fingerprint,
                          "public_key": base64.b64encode(me.public_key).decode()}, ensure_ascii=False, indent=2))
        return 0
    print(t("sync.device_show", id=ids.short(me.id), name=me.name, role=role,
            fingerprint=me.fingerprint or t("sync.no_key")))
    return 0


def known(db: Any) -> list[dict[str, Any]]:
    """Every device the database knows (this one first, then heard-from and roster devices by name)."""
    me = device.this_device()
    roster = db.roster()
    rows: dict[str, dict[str, Any]] = {}
    for entry in (roster or {}).get("entries", []):
        rows[entry["device"]] = {"id": entry["device"], "name": entry.get("name", ""), "public_key": entry.get("public_key", "")}
    for did, doc in db.known_devices().items():
        rows.setdefault(did, {"id": did})
        rows[did].update({k: v for k, v in doc.items() if v not in (None, "")})
    mine = rows.setdefault(me.id, {"id": me.id})
    mine.update(name=me.name, public_key=base64.b64encode(me.public_key).decode(), this=True)
    out = []
    for row in rows.values():
        try:
            key = base64.b64decode(str(row.get("public_key", "")), validate=True)
        except ValueError:
            key = b""
        entry = next((e for e in (roster or {}).get("entries", []) if e.get("device") == row["id"]), None)
        on_roster = entry is not None and not entry.get("revoked") and bool(entry.get("public_key"))
        out.append({"id": row["id"], "short_id": ids.short(row["id"]), "name": row.get("name", ""),
                    "fingerprint": device.fingerprint(key), "this": bool(row.get("this")),
                    "trusted": bool(row.get("this") or row.get("trusted") or on_roster),
                    "role": entry.get("role") if entry else None, "revoked": bool(entry and entry.get("revoked")),
                    "last_import": row.get("last_import", ""), "last_export": row.get("last_export", "")})
    out.sort(key=lambda r: (not r["this"], r["name"], r["id"]))
    return out


def list_devices(args: argparse.Namespace, open_db) -> int:
    with open_db(args, read_only=True) as db:
        rows = known(db)
        roster = db.roster()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    header = [t("sync.col.id"), t("sync.col.name"), t("sync.col.role"), t("sync.col.fingerprint"),
              t("sync.col.trusted"), t("sync.col.last_import"), t("sync.col.last_export")]
    table = []
    for r in rows:
        trusted = t("sync.this_device") if r["this"] else t("sync.revoked") if r["revoked"] else \
            t("sync.yes") if r["trusted"] else t("sync.no")
        table.append([r["short_id"], r["name"], role_of(roster, r["id"]), r["fingerprint"] or "-", trusted,
                      _when(r["last_import"]), _when(r["last_export"])])
    print(format_table(header, table))
    return 0


def _when(iso: str) -> str:
    return iso.replace("T", " ")[:16] if iso else "-"
