"""Whether a bundle's device may be trusted (core.sync.trust), and the devices and roster a database keeps, typed."""

from __future__ import annotations

import base64
from datetime import datetime

import pytest

from inspector.core.sync import KnownDevice, Roster, RosterEntry, foreign_county, trust
from inspector.storage.database import Database

ME, OTHER = "01JAAAAAAAAAAAAAAAAAAAAAA1", "01JBBBBBBBBBBBBBBBBBBBBBB2"
KEY, KEY2, MY_KEY = (base64.b64encode(bytes([n]) * 32).decode() for n in (1, 2, 3))
THIS = (ME, MY_KEY)


def roster(**entry) -> Roster:
    return Roster(county="渝北区", entries=(RosterEntry(**{"device": OTHER, "name": "陈静", "role": "inspector", **entry}),))


def trusted(key: str = KEY) -> KnownDevice:
    return KnownDevice(id=OTHER, name="陈静的电脑", public_key=key, trusted=True)


@pytest.mark.parametrize("known, on_roster, key, expected", [
    (None, None, KEY, "ask"),  # never seen, no roster: the user compares the fingerprint first
    (KnownDevice(id=OTHER, name="x", public_key=KEY), None, KEY, "ask"),  # heard of, never trusted
    (trusted(), None, KEY, "trusted"),
    (trusted(), None, KEY2, "impostor"),  # trusted with another key
    (None, roster(public_key=KEY), KEY, "trusted"),  # on the roster with this key
    (None, roster(public_key=KEY), KEY2, "impostor"),  # the roster names another key
    (trusted(KEY2), roster(public_key=KEY), KEY, "impostor"),  # the key trusted before differs
    (None, roster(), KEY, "ask"),  # on the roster without a key: asked, as any device
    (trusted(), roster(public_key=KEY, revoked=True), KEY, "revoked"),  # revoked wins over trusted before
    (None, roster(revoked=True), KEY2, "revoked"),
])
def test_trust_of_another_device(known, on_roster, key, expected):
    assert trust(known, on_roster, OTHER, key, this=THIS) == expected


def test_this_device_is_trusted_only_with_its_own_key():
    assert trust(None, None, ME, MY_KEY, this=THIS) == "trusted"
    assert trust(None, None, ME, KEY, this=THIS) == "impostor"
    # whatever the registry or the roster say of it
    revoked = Roster(county="渝北区", entries=(RosterEntry(device=ME, name="张伟", role="inspector", revoked=True),))
    assert trust(KnownDevice(id=ME, public_key=KEY, trusted=True), revoked, ME, MY_KEY, this=THIS) == "trusted"


def test_foreign_county():
    ours = Roster(county="渝北区")
    assert foreign_county(ours, "江北区")
    assert not foreign_county(ours, "渝北区") and not foreign_county(ours, "") and not foreign_county(None, "江北区")


def test_the_registry_keeps_devices_and_the_roster_as_records(tmp_path):
    db = Database.open(tmp_path / "db", clock=lambda: datetime(2026, 11, 21, 9), device=ME)
    try:
        assert db.known_devices() == {} and db.roster() is None
        db.note_device(OTHER, name="陈静的电脑", public_key=KEY, trusted=True)
        db.note_device(OTHER, last_import="2026-11-21T09:00:00")  # an update keeps what was noted before
        db.note_device(ME, shared_folder="/mnt/shared")
        db.note_device(ME, shared_folder="")  # emptied, not kept
        assert db.known_devices() == {
            OTHER: KnownDevice(id=OTHER, name="陈静的电脑", public_key=KEY, trusted=True, last_import="2026-11-21T09:00:00"),
            ME: KnownDevice(id=ME),
        }
        with pytest.raises(TypeError):
            db.note_device(OTHER, colour="red")  # not a field of KnownDevice: a bug, refused
        ours = Roster(county="渝北区", entries=(RosterEntry(device=OTHER, name="陈静", role="supervisor", public_key=KEY),
                                                  RosterEntry(device=ME, name="张伟", role="inspector", revoked=True)),
                      supervisor_moves=("verify", "close"))
        db.put_roster(ours)
        db.reload()
        assert db.roster() == ours
    finally:
        db.close()
