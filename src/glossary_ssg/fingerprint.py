"""Digests that say whether something changed since the last build.

`of_value` digests the frozen data a page is rendered from (dataclasses,
tuples, read-only mappings, strings) through pickle, which walks it in C.
Pickle's memo is off ("fast" mode), so the bytes depend on values only, not
on which objects happen to be shared (the data is never cyclic). A digest
can still differ needlessly (two equal dicts filled in different orders),
never match wrongly: a needless difference costs a render, and the writer
still leaves a file whose bytes did not change alone.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import pickle
from dataclasses import fields, is_dataclass
from operator import attrgetter
from types import MappingProxyType
from typing import Any, Callable, Mapping


def read_only(items: dict) -> MappingProxyType:
    """How a pickled read-only mapping is made again (the type itself cannot be pickled by name)."""
    return MappingProxyType(items)


copyreg.pickle(MappingProxyType, lambda mapping: (read_only, (mapping.copy(),)))

# How of_value pickles some classes, beside copyreg's table. With no memo, every global a reduction names
# (a class, a function) is looked up and written out again at each object: a named tuple's default reduction,
# and ours that loads faster (recipes.tuple_reduce), name two, a dataclass's three. A page recipe holds dozens
# of parts, so naming only the class makes its digest several times faster.
_DIGEST_DISPATCH: dict[type, Callable[[Any], tuple]] = dict(copyreg.dispatch_table)


def digest_by_fields(kind: type) -> type:
    """Let of_value pickle a named tuple or a dataclass (whose fields all go to __init__) as its class and its
    fields; usable as a class decorator."""
    if is_dataclass(kind):
        names = [field.name for field in fields(kind)]
        getter = attrgetter(*names) if len(names) > 1 else (lambda value: (getattr(value, names[0]),))
    else:
        getter = tuple
    _DIGEST_DISPATCH[kind] = lambda value: (kind, getter(value))
    return kind


# SHA-256 cut to 128 bits: this processor's SHA instructions make it twice as fast as BLAKE2b on a build's
# hundreds of megabytes of pages and values, and 128 bits are plenty to tell versions of a file apart.
_HEX_DIGITS = 32


def of_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:_HEX_DIGITS]


def of_text(*parts: str) -> str:
    """One digest of several strings, each length-prefixed so ("ab", "c") and ("a", "bc") differ."""
    digest = hashlib.sha256()
    for part in parts:
        encoded = part.encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "little"))
        digest.update(encoded)
    return digest.hexdigest()[:_HEX_DIGITS]


def of_value(value: object, known: Mapping[type, Callable[[Any], str]] | None = None) -> str:
    """`known` maps types to functions that already give a digest of such a value (for large values whose
    digest is known from their source): those values are digested as that string, not walked."""
    return of_bytes(value_bytes(value, known))


def value_bytes(value: object, known: Mapping[type, Callable[[Any], str]] | None = None) -> bytes:
    """The pickle `of_value` digests: it loads back as the value (less what `known` replaced)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dispatch_table = {**_DIGEST_DISPATCH, **{kind: _as_digest(digest) for kind, digest in known.items()}
                              } if known else _DIGEST_DISPATCH
    pickler.dump(value)
    return buffer.getvalue()


def _as_digest(digest: Callable[[Any], str]) -> Callable[[Any], tuple]:
    return lambda value: (str, (digest(value),))
