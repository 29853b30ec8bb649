"""This device: an id, a name and an Ed25519 key made once, kept in the user's folder."""

from __future__ import annotations

import json
import stat

import pytest

from inspector import device
from inspector.core import ids
from inspector.core.errors import UserError


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    path = tmp_path / "user" / "device.json"
    monkeypatch.setenv(device.DEVICE_ENV, str(path))
    return path


def test_a_device_is_made_once_and_kept(fresh):
    first = device.this_device()
    assert ids.is_id(first.id) and first.name and len(first.public_key) == 32
    assert device.this_device() == first
    saved = json.loads(fresh.read_text(encoding="utf-8"))
    assert saved["id"] == first.id and "private" not in json.dumps(saved).lower()
    key = fresh.with_name("device.key")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600  # the user's only
    assert len(first.fingerprint.split()) == 4


def test_what_it_signs_verifies_with_its_public_key_only(fresh, tmp_path, monkeypatch):
    me = device.this_device()
    signature = device.sign(b"bundle")
    assert device.verify(me.public_key, signature, b"bundle")
    assert not device.verify(me.public_key, signature, b"bundle!")  # tampered
    monkeypatch.setenv(device.DEVICE_ENV, str(tmp_path / "other" / "device.json"))
    other = device.this_device()
    assert other.id != me.id and not device.verify(other.public_key, signature, b"bundle")


def test_renaming_keeps_the_id_and_key(fresh):
    me = device.this_device()
    renamed = device.rename("  石船镇 王芳的电脑 ")
    assert (renamed.id, renamed.public_key, renamed.name) == (me.id, me.public_key, "石船镇 王芳的电脑")
    assert device.this_device().name == "石船镇 王芳的电脑"
    for bad in ("", "   ", "长" * 41):
        with pytest.raises(UserError):
            device.rename(bad)
    assert device.this_device().name == "石船镇 王芳的电脑"


def test_a_device_from_before_keys_keeps_its_id_and_gets_a_key(fresh):
    fresh.parent.mkdir(parents=True)
    fresh.write_text(json.dumps({"id": "01TESTDEV1CE0000000000000Q", "name": "旧电脑"}), encoding="utf-8")
    me = device.this_device()
    assert (me.id, me.name) == ("01TESTDEV1CE0000000000000Q", "旧电脑") and len(me.public_key) == 32
    assert device.verify(me.public_key, device.sign(b"x"), b"x")


@pytest.mark.parametrize("text", ["{not json", '{"id": 5}', '["01TESTDEV1CE0000000000000Q"]', ""], ids=["not-json", "no-id", "a-list", "empty"])
def test_a_damaged_device_file_is_refused_and_left_as_it_is(fresh, text):
    me = device.this_device()
    key = fresh.with_name("device.key").read_bytes()
    fresh.write_text(text, encoding="utf-8")
    with pytest.raises(device.DeviceFileError) as caught:
        device.this_device()
    assert str(fresh) in caught.value.message()
    assert fresh.read_text(encoding="utf-8") == text and fresh.with_name("device.key").read_bytes() == key
    fresh.write_text(json.dumps({"id": me.id, "name": me.name}), encoding="utf-8")  # restored (without its key's record)
    assert device.this_device() == me  # the key kept beside it is its key again


def test_a_new_device_never_writes_over_a_key(fresh):
    first = device.this_device()
    key = fresh.with_name("device.key").read_bytes()
    fresh.unlink()  # moved away, to start as a new device
    second = device.this_device()
    assert second.id != first.id and second.public_key == first.public_key  # the key that was there is kept and used
    fresh.with_name("device.key").write_bytes(b"not a key")
    fresh.unlink()
    third = device.this_device()
    assert third.public_key not in (b"", first.public_key)
    assert fresh.with_name("device.key.1.old").read_bytes() == b"not a key"  # kept aside, not written over
    assert key  # (the first key was read back above)


def test_the_command_line_says_so_in_one_line(fresh, tmp_path, capsys):
    from inspector import cli

    db = str(tmp_path / "db")
    assert cli.main(["--db", db, "village", "add", "石桥村", "--township", "城关镇", "--new-township"]) == 0
    capsys.readouterr()
    registry = (tmp_path / "db" / "inspector.json").read_bytes()
    fresh.write_text("{not json", encoding="utf-8")
    for argv in (["village", "list"], ["village", "add", "河湾村", "--township", "城关镇"], ["device", "show"]):
        assert cli.main(["--db", db, *argv]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and str(fresh) in err and "Traceback" not in err, err
    assert (tmp_path / "db" / "inspector.json").read_bytes() == registry  # nothing recorded
