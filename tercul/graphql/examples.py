"""The examples in ``api/EXAMPLES.md``: preloaded in GraphiQL and executed by a test.

Each example is a ``### title`` heading followed by a ```graphql block and,
optionally, a ```json block of variables.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "api" / "EXAMPLES.md"
_BLOCK = re.compile(r"^### (?P<title>.+?)\n(?P<body>.*?)(?=^##|\Z)", re.S | re.M)
_AS = re.compile(r"^as: (?P<who>\w+)", re.M)
_CODE = re.compile(r"```(?P<lang>graphql|json)\n(?P<code>.*?)```", re.S)


@lru_cache(maxsize=1)
def load_examples(path: Path = EXAMPLES) -> list[dict]:
    if not path.exists():
        return []
    examples = []
    for block in _BLOCK.finditer(path.read_text(encoding="utf-8")):
        codes = {m["lang"]: m["code"] for m in _CODE.finditer(block["body"])}
        if "graphql" not in codes:
            continue
        who = _AS.search(block["body"])
        examples.append({"title": block["title"].strip(), "query": codes["graphql"].strip(),
                         "variables": json.loads(codes["json"]) if "json" in codes else None,
                         "as": who["who"] if who else "anyone"})
    return examples
