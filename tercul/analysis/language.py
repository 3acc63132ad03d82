"""Language detection, restricted to the library's languages, checked against the
declared language.

The detector is py3langid (its naive Bayes model ships inside the wheel, nothing is
downloaded). It is restricted to the languages it knows that the library holds, so a
short text cannot be "detected" as a language nobody wrote in here. Closely related
standard languages that share most of their written form (Bosnian/Croatian/Serbian,
Norwegian Bokmål/Nynorsk, Malay/Indonesian, Chinese/Cantonese in characters) count as
a match for one another. A language written in a script the detector was not trained
on for it (Azerbaijani in Cyrillic) is "not supported", as an unknown language is.
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
_SAME_GROUP = [{"bs", "hr", "sr"}, {"no", "nn"}, {"ms", "id"}, {"zh", "yue", "wuu"}]
# Languages written in several scripts, and the scripts the detector was trained on:
# a text in another script (Azerbaijani in Cyrillic, Malay in Jawi, Vietnamese in
# Chữ Nôm) is outside what the detector knows, so its language is "not supported".
KNOWN_SCRIPTS = {
    "az": {"Latn"}, "tk": {"Latn"}, "uz": {"Latn"}, "ug": {"Arab"}, "ms": {"Latn"}, "id": {"Latn"},
    "jv": {"Latn"}, "vi": {"Latn"}, "ku": {"Latn"}, "ha": {"Latn"}, "fuv": {"Latn"}, "so": {"Latn"},
    "mn": {"Cyrl"}, "kk": {"Cyrl"}, "ky": {"Cyrl"}, "tg": {"Cyrl"}, "tt": {"Cyrl"}, "be": {"Cyrl"},
    "sr": {"Cyrl", "Latn"}, "bs": {"Latn", "Cyrl"}, "pa": {"Guru"}, "sa": {"Deva"}, "hi": {"Deva"},
    "ne": {"Deva"}, "mr": {"Deva"}, "zh": {"Hani"}, "yue": {"Hani"}, "wuu": {"Hani"}, "el": {"Grek"},
}
_SCRIPT_NAMES = {"LATIN": "Latn", "CYRILLIC": "Cyrl", "ARABIC": "Arab", "CJK": "Hani", "GURMUKHI": "Guru",
                 "DEVANAGARI": "Deva", "GREEK": "Grek", "JAVANESE": "Java", "GRANTHA": "Gran", "HEBREW": "Hebr"}
MIN_CHARACTERS = 20  # below this (a Han character counts 3), no detection is attempted
# The declared language is prior knowledge: it starts with these odds against each
# other language, so a short, ambiguous passage (a one-line Spanish article that reads
# as Portuguese too) keeps its declared language, while a text clearly in another
# language (probability near 1 against near 0) is still detected as that language.
DECLARED_PRIOR = 10.0


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


def dominant_script(text: str) -> str | None:
    """ISO 15924 code of the script most letters of ``text`` are in (Latn, Cyrl, Hani...)."""
    import unicodedata

    counts: dict[str, int] = {}
    for ch in text[:5000]:
        if ch.isalpha():
            name = unicodedata.name(ch, "").split(" ")[0]
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    top = max(counts, key=counts.get)
    return _SCRIPT_NAMES.get(top, top.title())


def _script_subtag(language: str) -> str | None:
    for part in (language or "").replace("_", "-").split("-")[1:]:
        if len(part) == 4 and part.isalpha():
            return {"Hans": "Hani", "Hant": "Hani"}.get(part.title(), part.title())
    return None


def same_language(a: str, b: str) -> bool:
    a, b = detector_code(a), detector_code(b)
    return a == b or any(a in group and b in group for group in _SAME_GROUP)


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(LIBRARY_LANGUAGES)
    return identifier


def _letters(sample: str) -> int:
    return sum(3 if "\u3400" <= ch <= "\u9fff" else 1 for ch in sample if ch.isalpha())


def detect(text: str, declared: str | None = None) -> tuple[str, float] | None:
    """Most probable library language and its probability (with ``declared``, a
    detector label, as the prior's favourite), or None for too little text."""
    sample = text[:20000]
    if _letters(sample) < MIN_CHARACTERS:
        return None
    ranked = _identifier().rank(sample)
    weights = {label: float(p) * (DECLARED_PRIOR if label == declared else 1.0) for label, p in ranked}
    total = sum(weights.values()) or 1.0
    label = max(weights, key=weights.get)
    return label, round(weights[label] / total, 4)


def check_language(text: str, declared: str) -> LanguageCheck:
    """Detect the language of ``text`` and compare it with ``declared``."""
    code = detector_code(declared)
    supported = code in LIBRARY_LANGUAGES
    note = None if supported else f"the language detector does not know {declared!r}"
    script = _script_subtag(declared) or dominant_script(text)
    if supported and code in KNOWN_SCRIPTS and script is not None and script not in KNOWN_SCRIPTS[code]:
        supported = False
        note = f"the language detector does not know {declared!r} written in this script ({script})"
    found = detect(text, code if supported else None)
    if found is None:
        return LanguageCheck(declared, None, None, supported, False, "too little text to detect its language")
    label, confidence = found
    mismatch = supported and not same_language(label, code)
    return LanguageCheck(declared, label, confidence, supported, mismatch, note)
