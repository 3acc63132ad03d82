"""Digests of texts: one of the exact tree, one of what the text says."""
from __future__ import annotations

import hashlib
import json
from typing import Any

from .model import Division, Text, leaf_divisions


def text_checksum(text: Text) -> str:
    """A stable digest of a text's structure and content (keys, kinds, lines)."""
    digest = hashlib.sha256()

    def walk(divisions: list[Division]) -> None:
        for d in divisions:
            digest.update(json.dumps(["d", d.key, d.kind, d.title]).encode())
            for line in d.lines:
                digest.update(json.dumps(["l", line.key, line.kind, line.speaker, line.indent, line.text]).encode())
            walk(d.divisions)
            digest.update(b"/")

    walk(text.divisions)
    return digest.hexdigest()


def content_checksum(text: Text, form: str) -> str:
    """A digest of what a text says, blind to keys and to how it is divided beyond
    stanzas: two texts with the same digest read the same (duplicate detection)."""
    if form == "prose":
        payload: Any = [line.text for line in text.iter_lines()]
    else:
        payload = [[(line.indent, line.text) for line in d.lines] for d in leaf_divisions(text)]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()
