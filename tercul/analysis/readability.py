"""Readability, where a published formula exists for the language.

All are Flesch-style reading ease scores (higher is easier, roughly 0-100), from
average sentence length (ASL, words per sentence) and average syllables per word
(ASW). Languages without a formula here get None.
"""
from __future__ import annotations

FORMULAS = {
    # language: (name, constant, ASL weight, ASW weight)
    "en": ("Flesch reading ease", 206.835, 1.015, 84.6),
    "de": ("Flesch-Amstad", 180.0, 1.0, 58.5),
    "es": ("Fernández-Huerta", 206.84, 1.02, 60.0),  # as corrected: F is words per sentence
    "fr": ("Kandel-Moles", 207.0, 1.015, 73.6),
    "it": ("Flesch-Vacca", 217.0, 1.3, 60.0),  # 217 - 1.3 ASL - 0.6 syllables per 100 words
    "nl": ("Flesch-Douma", 206.835, 0.93, 77.0),
    "ru": ("Flesch-Oborneva", 206.835, 1.3, 60.1),
    "pt": ("Flesch (Martins)", 248.835, 1.015, 84.6),
}
BANDS = ((90, "very easy"), (80, "easy"), (70, "fairly easy"), (60, "standard"), (50, "fairly difficult"),
         (30, "difficult"), (float("-inf"), "very difficult"))


def band(score: float) -> str:
    return next(name for floor, name in BANDS if score >= floor)


def readability(language: str, words: int, sentences: int, syllables: int) -> dict | None:
    """{formula, score, band} or None (no formula for the language, or no sentences)."""
    base = (language or "").split("-")[0].lower()
    if base not in FORMULAS or words == 0 or sentences == 0 or syllables == 0:
        return None
    name, constant, asl_weight, asw_weight = FORMULAS[base]
    asl, asw = words / sentences, syllables / words
    score = constant - asl_weight * asl - asw_weight * asw
    return {"formula": name, "score": round(score, 1), "band": band(score)}
