"""`inspector device show|name` and `inspector sync devices`: this device, and the devices a database knows.

    inspector device show [--json]   this device: short id, name, role on the roster in force, key fingerprint
    inspector device name NAME       rename this device (the name others see beside its records and bundles)
    inspector sync devices [--json]  the devices this database knows: name, fingerprint, trusted, last import/export

What a database keeps of each device is core's ``KnownDevice`` (core/sync.py;
the registry table "devices", written by the sync steps in sync_flow.py); the
list beside it, merged with the roster in force, is ``sync_flow.device_rows``.
Exit status: 0 done; 1 a refused name (empty, too long); 2 not a database.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from typing import Callable

from .. import device
from ..core import ids
from ..core.errors import UserError
from ..core.sync import Roster
from ..i18n import t
from ..sync_flow import device_rows, when
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


def roster_in_force(args: argparse.Namespace, open_db) -> Roster | None:
    """The roster in force in the database ``args`` names, if that database exists and has one."""
    from ..paths import default_db
    from ..wiring import is_database

    path = args.db or default_db()
    if not is_database(path):
        return None
    with open_db(args, read_only=True) as db:
        return db.roster()


def role_of(roster: Roster | None, device_id: str) -> str:
    """A device's role as people read it: its role on the roster, "not on the roster", or "no roster"."""
    if roster is None:
        return t("sync.role.no_roster")
    entry = roster.entry(device_id)
    if entry is None:
        return t("sync.role.not_listed")
    role = t(f"sync.role.{entry.role}")
    return t("sync.role.revoked", role=role) if entry.revoked else role


def show(args: argparse.Namespace, open_db) -> int:
    me = device.this_device()
    roster = roster_in_force(args, open_db)
    role = role_of(roster, me.id)
    if args.json:
        entry = roster.entry(me.id) if roster is not None else None
        print(json.dumps({"id": me.id, "short_id": ids.short(me.id), "name": me.name,
                          "role": entry.role if entry else None, "role_label": role,
                          "county": roster.county if roster else None,
                          "fingerprint": me.fingerprint,
                          "public_key": base64.b64encode(me.public_key).decode()}, ensure_ascii=False, indent=2))
        return 0
    print(t("sync.device_show", id=ids.short(me.id), name=me.name, role=role,
            fingerprint=me.fingerprint or t("sync.no_key")))
    return 0


def list_devices(args: argparse.Namespace, open_db) -> int:
    with open_db(args, read_only=True) as db:
        rows = device_rows(db)
        roster = db.roster()
    if args.json:
        print(json.dumps([{"id": r.id, "short_id": ids.short(r.id), "name": r.name, "fingerprint": r.fingerprint,
                           "this": r.this, "trusted": r.trusted, "role": r.role, "revoked": r.revoked,
                           "last_import": r.last_import, "last_export": r.last_export} for r in rows],
                         ensure_ascii=False, indent=2))
        return 0
    header = [t("sync.col.id"), t("sync.col.name"), t("sync.col.role"), t("sync.col.fingerprint"),
              t("sync.col.trusted"), t("sync.col.last_import"), t("sync.col.last_export")]
    table = []
    for r in rows:
        trusted = t("sync.this_device") if r.this else t("sync.revoked") if r.revoked else \
            t("sync.yes") if r.trusted else t("sync.no")
        table.append([ids.short(r.id), r.name, role_of(roster, r.id), r.fingerprint or "-", trusted,
                      when(r.last_import), when(r.last_export)])
    print(format_table(header, table))
    return 0
