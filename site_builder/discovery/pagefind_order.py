"""Make Pagefind's index byte-for-byte reproducible.

Pagefind 1.x writes its filter lists from hash maps, so the order of the
filters in ``pagefind.<hash>.pf_meta`` and of the values in each
``filter/<hash>.pf_filter`` changes from run to run (and with it the file
names, which are content hashes).  Both lists are unordered by meaning, so this
module sorts them, renames the files after the sorted content and updates the
references (``pagefind-entry.json`` -> meta -> filter files).  The files are
gzip-compressed CBOR after a ``pagefind_dcd`` signature; only the few CBOR
shapes Pagefind writes are handled.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


def _header(buf: bytes, i: int) -> tuple[int, int, int]:
    """(major type, argument, index after the header) of the CBOR item at ``i``."""
    major, info = buf[i] >> 5, buf[i] & 31
    if info < 24:
        return major, info, i + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}[info]  # indefinite lengths are not written by Pagefind
    return major, int.from_bytes(buf[i + 1 : i + 1 + size], "big"), i + 1 + size


def _end(buf: bytes, i: int) -> int:
    """Index just after the CBOR item starting at ``i``."""
    major, value, j = _header(buf, i)
    if major in (2, 3):
        return j + value
    if major in (4, 5):
        for _ in range(value * (2 if major == 5 else 1)):
            j = _end(buf, j)
        return j
    if major == 6:
        return _end(buf, j)
    return j  # integers, simple values and floats: the header holds them


def _items(buf: bytes, i: int) -> tuple[bytes, list[bytes], int]:
    """The header bytes, the items of the CBOR array at ``i``, and the index after it."""
    _, count, j = _header(buf, i)
    head, items = buf[i:j], []
    for _ in range(count):
        end = _end(buf, j)
        items.append(buf[j:end])
        j = end
    return head, items, j


def _read(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a Pagefind file")
    return data[len(SIGNATURE) :]


def _write(path: Path, body: bytes) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + body, mtime=0))


def _digest(body: bytes, length: int) -> str:
    return hashlib.sha256(body).hexdigest()[:length]


def sorted_filter(body: bytes) -> bytes:
    """A filter file ``[name, [[value, pages], ...]]`` with its values sorted."""
    head, (name, values), _ = _items(body, 0)
    values_head, items, _ = _items(values, 0)
    return head + name + values_head + b"".join(sorted(items))


def _text(value: str) -> bytes:
    raw = value.encode()
    return (bytes([0x60 + len(raw)]) if len(raw) < 24 else bytes([0x78, len(raw)])) + raw


def normalize_language(bundle: Path, language: str, meta_hash: str) -> str:
    """Sort one language's filters; returns the new hash of its meta file."""
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    head, fields, _ = _items(_read(meta_path), 0)
    filters_head, filters, _ = _items(fields[3], 0)
    renamed = []
    for entry in filters:
        entry_head, (name, old), _ = _items(entry, 0)
        _, length, start = _header(old, 0)
        old_hash = old[start : start + length].decode()
        old_path = bundle / "filter" / f"{old_hash}.pf_filter"
        body = sorted_filter(_read(old_path))
        new_hash = f"{language}_{_digest(body, len(old_hash) - len(language) - 1)}"
        old_path.unlink()
        _write(bundle / "filter" / f"{new_hash}.pf_filter", body)
        renamed.append(entry_head + name + _text(new_hash))
    fields[3] = filters_head + b"".join(sorted(renamed))
    body = head + b"".join(fields)
    new_meta = f"{language}_{_digest(body, len(meta_hash) - len(language) - 1)}"
    meta_path.unlink()
    _write(bundle / f"pagefind.{new_meta}.pf_meta", body)
    return new_meta


def normalize_bundle(bundle: Path) -> None:
    """Make the Pagefind bundle at ``bundle`` (the ``pagefind/`` folder) independent of hash-map order."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        info["hash"] = normalize_language(bundle, language, info["hash"])
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
