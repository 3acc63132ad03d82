"""One Project Gutenberg plain-text e-book into a :class:`Bundle`: strip the front
and back matter, tell the form (play, prose, poem, collection of numbered poems) and
hand the body to the parser of that form."""
from __future__ import annotations

import os
import re

from ..bundle_model import AuthorData, Bundle, BundleError, WorkData
from .cleanup import split_raw, strip_licence, take_title
from .common import looks_like_prose, slugify, smart_title
from .plays import count_drama_signals, parse_drama
from .poems import looks_like_collection, parse_collection, parse_poetry
from .prose import parse_prose


def _strip_article(title: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", title.strip(), flags=re.I)


def _person_name(name: str) -> str:
    """'Shakespeare, William' -> 'William Shakespeare'."""
    name = " ".join(name.split())
    if name.count(",") == 1:
        last, first = (p.strip() for p in name.split(","))
        if first and last and not re.search(r"\d", first):
            return f"{first} {last}"
    return name


_FORM_FROM_ALIAS = {"poetry": "poetry", "verse": "poetry", "prose": "prose", "drama": "drama",
                    "play": "drama", "collection": "collection"}


def parse_gutenberg_text(
    raw: str,
    origin: str,
    *,
    slug_prefix: str | None = None,
    title: str | None = None,
    author: str | None = None,
    language: str = "en",
    slug: str | None = None,
    form: str | None = None,
    source: str | None = None,
    licence: str | None = None,
) -> Bundle:
    """Parse a Project Gutenberg plain text into a :class:`Bundle`.

    ``origin`` names the file in error messages (``BundleError.where`` is
    ``"origin:line"``). ``title``/``author`` override what the text says;
    ``slug_prefix`` (e.g. ``"shakespeare"``) prefixes generated slugs, ``slug`` sets
    the work slug outright. ``form`` forces ``"drama"``, ``"prose"``, ``"poetry"``
    or ``"collection"`` (numbered short poems) instead of detecting it.
    """
    if not isinstance(raw, str):
        raise BundleError(f"{origin}:1", "expected decoded text (str)")
    body, fields = strip_licence(raw, origin)
    body, text_title, text_author = take_title(body, title or fields.get("title"))
    if not any(t.strip() for _, t in body):
        last = body[-1][0] if body else (len(split_raw(raw)) or 1)
        raise BundleError(f"{origin}:{last}", "empty body: no text after the header")

    work_title = title or fields.get("title") or (
        smart_title(text_title) if text_title else None)
    if not work_title:
        work_title = os.path.splitext(os.path.basename(origin))[0].replace("_", " ").title()
    author_name = author or fields.get("author") or text_author
    author_name = _person_name(author_name) if author_name else None

    if form is not None:
        if form not in _FORM_FROM_ALIAS:
            raise BundleError(f"{origin}:1", f"unknown form {form!r}")
        kind = _FORM_FROM_ALIAS[form]
    else:
        headings, speakers = count_drama_signals(body)
        if headings >= 1 and speakers >= 5:
            kind = "drama"
        elif looks_like_collection(body, work_title) and not looks_like_prose(body):
            kind = "collection"
        elif looks_like_prose(body):
            kind = "prose"
        else:
            kind = "poetry"

    authors: list[AuthorData] = []
    author_slugs: list[str] = []
    if author_name:
        authors.append(AuthorData(slug=slugify(author_name), name=author_name,
                                  names={language: author_name}))
        author_slugs.append(authors[0].slug)

    if slug:
        work_slug = slug
    elif slug_prefix:
        work_slug = f"{slug_prefix}-{slugify(_strip_article(work_title))}"
    else:
        work_slug = slugify(work_title)
    if not work_slug:
        raise BundleError(f"{origin}:1", "cannot make a slug from the title")
    src = source or "Project Gutenberg"

    def work(**kw) -> WorkData:
        base = dict(language=language, authors=list(author_slugs), source=src,
                    licence=licence)
        base.update(kw)
        return WorkData(**base)

    works: list[WorkData] = []
    if kind == "collection":
        is_sonnets = "sonnet" in work_title.lower()
        label = "Sonnet" if is_sonnets else "Poem"
        poems = parse_collection(body, origin, label)
        coll = work(slug=work_slug, title=work_title, form="poetry", text=None,
                    genres=["sonnet"] if is_sonnets else [])
        works.append(coll)
        poem_base = slug_prefix or work_slug
        for num, text in poems:
            works.append(work(
                slug=f"{poem_base}-{label.lower()}-{num}",
                title=f"{label} {num}",
                form="poetry",
                text=text,
                genres=["sonnet"] if is_sonnets else [],
                parent=work_slug,
                position=num,
            ))
    else:
        if kind == "drama":
            text = parse_drama(body, origin)
            wform = "drama"
        elif kind == "prose":
            text = parse_prose(body, origin)
            wform = "prose"
        else:
            text = parse_poetry(body, origin, work_title)
            wform = "poetry"
        if not any(True for _ in text.iter_lines()):
            raise BundleError(f"{origin}:{body[0][0]}", "no text lines found")
        works.append(work(slug=work_slug, title=work_title, form=wform, text=text))
    _check_keys(works, origin)
    return Bundle(authors=authors, works=works, origin=origin)


def _check_keys(works: list[WorkData], origin: str) -> None:
    for w in works:
        if w.text is None:
            continue
        seen: set[str] = set()
        stack = list(w.text.divisions)
        while stack:
            d = stack.pop()
            for k in [d.key] + [ln.key for ln in d.lines]:
                if k in seen:
                    raise BundleError(origin, f"duplicate key {k!r} in {w.slug}")
                seen.add(k)
            stack.extend(d.divisions)
