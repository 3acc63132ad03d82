"""The keyword index's layout: its fields, the number that stands for a text or an
author (``tid``), and the tantivy documents written for a text and for an author."""
from __future__ import annotations

import json
from typing import Iterable

import tantivy

from . import analysis
from .interface import FACETS, AuthorDocument, TextDocument

SCHEMA_VERSION = 5  # 4: titles on text documents, not on every passage; 5: the feature facet


def build_schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("doctype", stored=True, fast=True, tokenizer_name="raw")
    b.add_text_field("key", stored=True, fast=True, tokenizer_name="raw")
    b.add_unsigned_field("uid", stored=True, indexed=True, fast=True)
    b.add_unsigned_field("tid", stored=False, indexed=True, fast=True)  # the key as a number, for collapsing
    for facet in FACETS:
        b.add_text_field(facet, stored=False, fast=True, tokenizer_name="raw")
    b.add_integer_field("year", stored=False, indexed=True, fast=True)
    b.add_text_field("sort_title", stored=False, fast=True, tokenizer_name="raw")
    b.add_text_field("text", stored=True, tokenizer_name=analysis.FOLDED)
    b.add_text_field("title", stored=False, tokenizer_name=analysis.FOLDED)
    for stemmer in analysis.all_stemmers():
        b.add_text_field(analysis.stem_field(stemmer), stored=False, tokenizer_name=stemmer)
    b.add_bytes_field("meta", stored=True)
    return b.build()


def key_number(key: str) -> int:
    """``w:12`` -> 48, ``t:12`` -> 49, ``a:12`` -> 50: one number per text or author."""
    kind, _, ident = key.partition(":")
    return int(ident) * 4 + {"w": 0, "t": 1, "a": 2}[kind]


def number_key(number: int) -> str:
    return f"{'wta'[number % 4]}:{number // 4}"


def is_author(number: int) -> bool:
    return number % 4 == 2


def text_documents(t: TextDocument) -> Iterable[tantivy.Document]:
    """The ``text`` document of ``t`` (facets, title words, what a hit shows), then one per passage."""
    facets = t.facet_values()
    stem = analysis.stemmer_for(t.language)
    title = " ".join([t.title, t.work_title] + [name for _slug, name in t.authors])

    def base(doctype: str) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_text("doctype", doctype)
        doc.add_text("key", t.key)
        doc.add_unsigned("tid", key_number(t.key))
        for facet, values in facets.items():
            for value in values:
                doc.add_text(facet, value)
        if t.year is not None:
            doc.add_integer("year", t.year)
        doc.add_text("sort_title", t.sort_title)
        return doc

    first = t.passages[0] if t.passages else None
    meta = {"key": t.key, "entity": t.entity, "work_slug": t.work_slug, "translation_key": t.translation_key,
            "title": t.title, "work_title": t.work_title, "authors": t.authors, "language": t.language,
            "original_language": t.original_language, "form": t.form, "year": t.year,
            "sort_title": t.sort_title, "revision": t.revision_id, "passages": len(t.passages),
            "fingerprint": t.fingerprint, "incipit": first.lines if first else [],
            "incipit_keys": first.line_keys if first else []}
    doc = base("text")
    doc.add_unsigned("uid", 0)
    doc.add_text("title", title)
    doc.add_bytes("meta", json.dumps(meta).encode())
    yield doc
    for p in t.passages:
        doc = base("passage")
        doc.add_unsigned("uid", p.uid)
        doc.add_text("text", p.text)
        if stem:
            doc.add_text(analysis.stem_field(stem), p.text)
        doc.add_bytes("meta", json.dumps({"keys": p.line_keys}).encode())
        yield doc


def author_document(a: AuthorDocument) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("doctype", "author")
    doc.add_text("key", a.key)
    doc.add_unsigned("tid", key_number(a.key))
    doc.add_text("kind", "author")
    doc.add_unsigned("uid", 0)
    doc.add_text("text", "\n".join([a.name, *a.names, a.biography]))
    doc.add_text("sort_title", a.name.lower())
    doc.add_bytes("meta", json.dumps({"slug": a.slug, "name": a.name, "names": a.names, "born": a.born,
                                      "fingerprint": a.fingerprint}).encode())
    return doc
