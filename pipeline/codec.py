"""The data model to bytes and back, for the content cache.

JSON with a whitelist of the model's dataclasses, not pickle: a cache file may sit on a
shared drive, and loading it must never run code. Lists come back as tuples, which is
what every sequence field of the model holds.
"""

from __future__ import annotations

import dataclasses
import json
import zlib
from typing import Any

from extractors.model import Block, Document, Problem
from matchers.model import Evidence, Fields, Finding

from .model import AuditResult, FileInfo

TYPES: dict[str, type] = {cls.__name__: cls for cls in (Block, Document, Problem, Evidence, Fields, Finding,
                                                          AuditResult, FileInfo)}


class CodecError(ValueError):
    """Bytes that are not a value this codec wrote."""


def encode(value: Any) -> bytes:
    return zlib.compress(json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":")).encode(), 3)


def decode(data: bytes) -> Any:
    try:
        return _restore(json.loads(zlib.decompress(data)))
    except (zlib.error, ValueError, TypeError, KeyError) as exc:
        raise CodecError(str(exc)) from exc


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if name not in TYPES:
            raise TypeError(f"not a cacheable type: {name}")
        return {"$": name, **{f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {"$d": {k: _plain(v) for k, v in value.items()}}
    return value


def _restore(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_restore(v) for v in value)
    if isinstance(value, dict):
        if "$d" in value:
            return {k: _restore(v) for k, v in value["$d"].items()}
        cls = TYPES[value.pop("$")]
        return cls(**{k: _restore(v) for k, v in value.items()})
    return value
