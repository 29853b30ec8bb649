"""Sync bundles: one file carrying one device's records to other laptops, signed by that device.

    INSPECTOR-BUNDLE 1\\n            what the file is, and the format's version
    {"device": ..., "signature": ...}\\n   the header: one line of JSON
    <gzip of the content JSON>         registry villages, and each village's tables

The signature (Ed25519, by the device named in the header) covers the header
without its signature and the compressed content, so a changed byte anywhere
is found before anything is read. The content is the stored documents
themselves (storage/documents.py shapes), checked like a village file
(shapes.py) before a merge.
"""

from __future__ import annotations

import base64
import gzip
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable

import orjson

from ..core.errors import UserError
from .migrations import SCHEMA_VERSION

MAGIC = b"INSPECTOR-BUNDLE"
VERSION = 1
SUFFIX = ".inspector-bundle"
MAX_CONTENT = 1 << 30  # 1 GiB uncompressed: more is not a county's records
Verify = Callable[[bytes, bytes, bytes], bool]  # (public key, signature, data) -> signed by that key?
Sign = Callable[[bytes], bytes]


class BundleError(UserError):
    """A file that cannot be imported, and why (``reason``: foreign, future_version, truncated, tampered, bad_content)."""

    def __init__(self, reason: str, **params: Any):
        self.reason = reason
        super().__init__(f"sync.bad_bundle.{reason}", **params)


@dataclass
class Bundle:
    device: str
    name: str
    public_key: bytes
    created_at: str
    schema: int
    since: str = ""
    county: str = ""  # the county of the roster in force where it was written ("": none)
    villages: list[dict] = field(default_factory=list)  # registry documents
    tables: dict[str, dict[str, list[dict]]] = field(default_factory=dict)  # village id -> table -> documents
    evidence: list[dict] = field(default_factory=list)  # {"sha256", "suffix", "data": base64}: files its records name


def _header_bytes(header: dict) -> bytes:
    return orjson.dumps({k: v for k, v in header.items() if k != "signature"}, option=orjson.OPT_SORT_KEYS)


def write_bundle(*, device: str, name: str, public_key: bytes, created_at: str, since: str, villages: list[dict],
                 tables: dict[str, dict[str, list[dict]]], sign: Sign, evidence: list[dict] | None = None, county: str = "") -> bytes:
    """The bytes of a bundle of these records, signed with ``sign`` (this device's key)."""
    content = {"format": "inspector-bundle", "schema": SCHEMA_VERSION, "device": device, "created_at": created_at,
               "since": since, "county": county, "villages": villages, "tables": tables,
               "evidence": evidence or []}
    payload = gzip.compress(orjson.dumps(content), compresslevel=6, mtime=0)
    header = {"version": VERSION, "device": device, "name": name, "created_at": created_at,
              "public_key": base64.b64encode(public_key).decode(), "size": len(payload)}
    header["signature"] = base64.b64encode(sign(_header_bytes(header) + b"\n" + payload)).decode()
    return MAGIC + b" " + str(VERSION).encode() + b"\n" + orjson.dumps(header) + b"\n" + payload


def read_bundle(data: bytes, verify: Verify) -> Bundle:
    """The bundle in ``data``, its signature checked; BundleError saying what is wrong otherwise."""
    first, sep, rest = data.partition(b"\n")
    if not first.startswith(MAGIC + b" ") or not sep:
        raise BundleError("foreign")
    try:
        version = int(first[len(MAGIC) + 1:])
    except ValueError:
        raise BundleError("foreign") from None
    if version > VERSION:
        raise BundleError("future_version", found=version, supported=VERSION)
    line, sep, payload = rest.partition(b"\n")
    try:
        header = orjson.loads(line)
        public_key = base64.b64decode(header["public_key"], validate=True)
        signature = base64.b64decode(header["signature"], validate=True)
        device, size = str(header["device"]), int(header["size"])
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        raise BundleError("truncated") from None
    if not sep or len(payload) < size:
        raise BundleError("truncated")
    if len(payload) > size or not verify(public_key, signature, _header_bytes(header) + b"\n" + payload):
        raise BundleError("tampered")
    content = _inflate(payload)
    try:
        body = orjson.loads(content)
    except orjson.JSONDecodeError:
        raise BundleError("bad_content") from None
    if not isinstance(body, dict) or body.get("format") != "inspector-bundle" or body.get("device") != device:
        raise BundleError("bad_content")
    schema = body.get("schema")
    if not isinstance(schema, int) or schema > SCHEMA_VERSION:
        raise BundleError("future_version", found=schema, supported=SCHEMA_VERSION)
    villages, tables = body.get("villages"), body.get("tables")
    if not isinstance(villages, list) or not isinstance(tables, dict) or \
            not all(isinstance(v, dict) for v in villages) or \
            not all(isinstance(t, dict) and all(isinstance(docs, list) for docs in t.values()) for t in tables.values()):
        raise BundleError("bad_content")
    evidence = body.get("evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(e, dict) and isinstance(e.get("sha256"), str)
                                                 and isinstance(e.get("data"), str) for e in evidence):
        raise BundleError("bad_content")
    return Bundle(device=device, name=str(header.get("name", "")), public_key=public_key,
                  created_at=str(header.get("created_at", "")), schema=schema, since=str(body.get("since", "")),
                  county=str(body.get("county") or ""), villages=villages, tables=tables, evidence=evidence)


def evidence_named(tables: dict[str, dict[str, list[dict]]]) -> list[tuple[str, str]]:
    """(sha256, suffix) of every evidence file the records of ``tables`` name, once each."""
    seen: dict[str, str] = {}
    for village in tables.values():
        for table in ("events", "answers"):
            for doc in village.get(table, []):
                for f in doc.get("files") or []:
                    if isinstance(f, dict) and isinstance(f.get("sha256"), str):
                        seen.setdefault(f["sha256"], str(f.get("suffix", "")))
    return sorted(seen.items())


def _inflate(payload: bytes) -> bytes:
    """The content, refusing a stream cut short or one that inflates beyond any county's records."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        content = inflater.decompress(payload, MAX_CONTENT + 1)
    except zlib.error:
        raise BundleError("truncated") from None
    if len(content) > MAX_CONTENT:
        raise BundleError("bad_content")
    if not inflater.eof:
        raise BundleError("truncated")
    return content
