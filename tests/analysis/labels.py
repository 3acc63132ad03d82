"""The labelled set: what the analysers should find in texts of the demo library.

The labels (rhyme schemes, meter names, language codes) are ours, from the standard
descriptions of these poems; the texts are read from the demo sources
(:mod:`tests.analysis.corpus`).
"""
from __future__ import annotations

# Shakespeare's Sonnets, all 154: the Shakespearean scheme, except 99 (15 lines, a
# five-line first quatrain) and 126 (12 lines in couplets). 145 is in tetrameter.
SONNET_SCHEMES = {n: "ABAB CDCD EFEF GG" for n in range(1, 155)}
SONNET_SCHEMES[99] = "ABABA CDCD EFEF GG"
SONNET_SCHEMES[126] = "AA BB CC DD EE FF"
SONNET_METERS = {n: "iambic pentameter" for n in range(1, 155)}
SONNET_METERS[145] = "iambic tetrameter"

# Whole poems (work slug) and excerpts of plays (work slug, first line key, last line key):
# their meter, None for free verse. The Psalms are the King James Version's prose-poetry.
METERS = {
    "shakespeare-phoenix-and-the-turtle": "trochaic tetrameter",
    ("shakespeare-macbeth", "4.1.4.1", "4.1.8.2"): "trochaic tetrameter",  # the witches' charm
    ("shakespeare-midsummer-nights-dream", "5.2.5.2", "5.2.5.17"): "trochaic tetrameter",  # Puck's epilogue
    "milton-paradise-lost": "iambic pentameter",
    "milton-paradise-regained": "iambic pentameter",
    "milton-lycidas": "iambic pentameter",
    "milton-il-penseroso": "iambic tetrameter",
    "milton-lallegro": "iambic tetrameter",
    "shakespeare-rape-of-lucrece": "iambic pentameter",
    "shakespeare-lovers-complaint": "iambic pentameter",
    "bible-psalms-1": None,
    "bible-psalms-23": None,
    "bible-psalms-51": None,
    "bible-psalms-100": None,
    "bible-psalms-119": None,
    "bible-psalms-150": None,
}

# Form facets of whole poems.
FACETS = {
    "shakespeare-sonnet-18": {"sonnet", "rhymed", "iambic"},
    "milton-paradise-lost": {"unrhymed", "iambic", "blank verse"},
    "shakespeare-phoenix-and-the-turtle": {"rhymed", "trochaic"},
    "bible-psalms-23": {"unrhymed", "free verse"},
    "bible-psalms-1": {"unrhymed", "free verse"},
}

# UDHR articles in ten languages (declared language -> detector label expected).
UDHR_ARTICLE_LANGUAGES = {"en": "en", "de": "de", "fr": "fr", "es": "es", "it": "it", "ru": "ru",
                          "pt-PT": "pt", "nl": "nl", "pl": "pl", "ar": "ar", "zh-Hans": "zh", "tr": "tr",
                          "sv": "sv", "fi": "fi", "el": "el"}
UDHR_ARTICLES = ("art.1", "art.3", "art.5", "art.18", "art.26")
# Psalms whose translations are checked too (ar, de, es, fa, fr, it, ru, tl).
PSALMS = (1, 23, 51, 100, 121, 150)
