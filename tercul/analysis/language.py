"""Language detection, restricted to the library's languages, checked against the
declared language.

The detector is py3langid (its naive Bayes model ships inside the wheel, nothing is
downloaded). It is restricted to the languages it knows that the library holds, so a
short text cannot be "detected" as a language nobody wrote in here. Closely related
standard languages that share most of their written form (Bosnian/Croatian/Serbian,
Norwegian Bokmål/Nynorsk, Malay/Indonesian) count as a match for one another.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# Languages of the demo library (UDHR, Bible translations, Shakespeare) that
# py3langid knows, as its labels. tests/analysis/test_language.py checks them.
LIBRARY_LANGUAGES = (
    "ace", "af", "am", "ar", "az", "be", "bg", "bn", "br", "bs", "ca", "crh", "cs", "cy", "da", "de",
    "dz", "el", "en", "eo", "es", "et", "eu", "fa", "fi", "fo", "fr", "fuv", "fy", "ga", "gd", "gl",
    "gu", "ha", "he", "hi", "hr", "ht", "hu", "hy", "id", "ig", "is", "it", "ja", "jv", "ka", "kab",
    "kk", "km", "kn", "ko", "ku", "ky", "la", "lb", "lg", "lij", "ln", "lo", "lt", "lv", "mg", "mk",
    "ml", "mn", "mr", "ms", "mt", "my", "ne", "nl", "nn", "no", "nso", "oc", "om", "pa", "pcm", "pl",
    "ps", "pt", "qu", "ro", "ru", "rw", "sa", "se", "si", "sk", "sl", "sn", "so", "sq", "sr", "st",
    "sv", "sw", "ta", "te", "tg", "th", "tk", "tl", "tr", "tt", "ug", "uk", "ur", "uz", "vec", "vi",
    "wa", "wuu", "xh", "yo", "yue", "zh", "zu",
)
# Declared codes (ISO 639-3 individual languages, macrolanguage members) -> detector label.
ALIASES = {
    "nb": "no", "nob": "no", "nno": "nn", "zlm": "ms", "zsm": "ms", "als": "sq", "cmn": "zh",
    "ekk": "et", "lvs": "lv", "pes": "fa", "prs": "fa", "arb": "ar", "khk": "mn", "uzn": "uz",
    "swh": "sw", "npi": "ne", "azj": "az", "cnr": "sr", "hbs": "sr", "fil": "tl",
}
# Written standards too close for a character n-gram model to tell apart reliably.
_SAME_GROUP = [{"bs", "hr", "sr"}, {"no", "nn"}, {"ms", "id"}]
MIN_CHARACTERS = 20  # below this, no detection is attempted


@dataclass
class LanguageCheck:
    declared: str
    detected: str | None
    confidence: float | None
    supported: bool
    mismatch: bool
    note: str | None = None


def detector_code(language: str) -> str:
    """The detector's label for a declared BCP 47 tag: ``pt-BR`` -> ``pt``, ``nb`` -> ``no``."""
    base = (language or "").split("-")[0].split("_")[0].lower()
    return ALIASES.get(base, base)


def same_language(a: str, b: str) -> bool:
    a, b = detector_code(a), detector_code(b)
    return a == b or any(a in group and b in group for group in _SAME_GROUP)


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(LIBRARY_LANGUAGES)
    return identifier


def detect(text: str) -> tuple[str, float] | None:
    """Best library language and its probability, or None for too little text."""
    sample = text[:20000]
    if sum(ch.isalpha() for ch in sample) < MIN_CHARACTERS:
        return None
    label, confidence = _identifier().classify(sample)
    return label, round(float(confidence), 4)


def check_language(text: str, declared: str) -> LanguageCheck:
    """Detect the language of ``text`` and compare it with ``declared``."""
    code = detector_code(declared)
    supported = code in LIBRARY_LANGUAGES
    found = detect(text)
    if found is None:
        return LanguageCheck(declared, None, None, supported, False,
                             "too little text to detect its language")
    label, confidence = found
    note = None if supported else f"the language detector does not know {declared!r}"
    mismatch = supported and not same_language(label, code)
    return LanguageCheck(declared, label, confidence, supported, mismatch, note)
