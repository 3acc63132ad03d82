"""What a text must be to be accepted: typed or uploaded input, and a tree's keys.

These raise the domain's :class:`~tercul.services.errors.Invalid` (a plain exception
class with no dependencies), naming the form field or the place in the tree, so that
forms, GraphQL and the importers report them as they report any other bad input.
"""
from __future__ import annotations

from ..services.errors import Invalid
from .cleaning import has_control
from .model import Division, Text


def check_body(body: str, max_bytes: int, field: str = "text") -> str:
    """The text as given, after checks: not empty, not too large, no control characters."""
    if body is None or not body.strip():
        raise Invalid(field, "the text is empty")
    size = len(body.encode("utf-8"))
    if size > max_bytes:
        raise Invalid(field, f"the text is {size:,} bytes; the limit is {max_bytes:,}")
    if has_control(body):
        raise Invalid(field, "the text contains control characters; paste plain text")
    return body


def decode_upload(data: bytes, field: str = "file") -> str:
    """A ``.txt`` upload as text (UTF-8, with or without BOM)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(field, "the file is not UTF-8 plain text") from None


def check_text(text: Text, where: str = "text") -> None:
    """Raise :class:`Invalid` unless every key is present and unique in the text, and
    no line, speaker or title holds a control character (importers strip them first
    with :func:`tercul.texts.cleaning.clean_text`)."""
    seen: set[str] = set()
    if not text.divisions:
        raise Invalid(where, "the text is empty")

    def walk(divisions: list[Division], path: str) -> None:
        for i, d in enumerate(divisions):
            here = f"{path}.divisions[{i}]"
            if not d.key:
                raise Invalid(here, "a division has no key")
            if d.key in seen:
                raise Invalid(here, f"the key {d.key!r} is used twice")
            seen.add(d.key)
            if has_control(d.title):
                raise Invalid(here, f"the title of {d.key!r} contains control characters")
            for j, line in enumerate(d.lines):
                if not line.key:
                    raise Invalid(f"{here}.lines[{j}]", "a line has no key")
                if has_control(line.text) or has_control(line.speaker):
                    raise Invalid(f"{here}.lines[{j}]", f"the line {line.key!r} contains control characters")
                if line.key in seen:
                    raise Invalid(f"{here}.lines[{j}]", f"the key {line.key!r} is used twice")
                seen.add(line.key)
            walk(d.divisions, here)

    walk(text.divisions, where)
    if not seen - {d.key for d in text.divisions}:
        raise Invalid(where, "the text has no lines")
