"""Word counts, type/token ratio, rare words (by wordfreq's frequency lists) and keywords.

wordfreq ships its frequency lists in the wheel. A word is *rare* when its Zipf
frequency in the text's language is below ``RARE_ZIPF`` (about once per 10 million
words); keywords are the content lemmas most over-represented in the text against that
language's frequencies.
"""
from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache

RARE_ZIPF = 2.0
# Function words of Early Modern English, too rare today for the frequency test to
# recognise them as function words.
ARCHAIC_FUNCTION_WORDS = frozenset("""thou thee thy thine ye hath doth dost art shalt wilt wouldst couldst
canst hast didst nor ere whilst unto thereof wherefore hither thither yea nay o'er e'er ne'er 'tis""".split())
MAX_LISTED = 20
TTR_WINDOW = 1000  # moving-average TTR over windows this long, so long texts compare with short


@lru_cache(maxsize=1)
def _wordfreq_languages() -> frozenset[str]:
    import wordfreq

    return frozenset(wordfreq.available_languages())


# wordfreq splits these languages' text with optional tokenizers (MeCab, jieba) that
# are not installed: their lists are not used.
NEEDS_TOKENIZER = frozenset({"ja", "ko", "zh"})


def frequency_language(language: str) -> str | None:
    base = (language or "").split("-")[0].lower()
    base = {"no": "nb", "hbs": "sh", "sr": "sh", "hr": "sh", "bs": "sh"}.get(base, base)
    return base if base in _wordfreq_languages() and base not in NEEDS_TOKENIZER else None


_loaded: list[str] = []  # the language whose frequency list wordfreq holds now


def _use_language(language: str) -> None:
    """Keep one language's list in memory (about 60 MB each): wordfreq caches every list
    it reads for good, which across the library's languages would take gigabytes."""
    import wordfreq

    if _loaded and _loaded[0] != language:
        wordfreq.get_frequency_dict.cache_clear()
        wordfreq.get_frequency_list.cache_clear()
        _loaded.clear()
    if not _loaded:
        _loaded.append(language)


def zipf(word: str, language: str) -> float:
    import wordfreq

    return wordfreq.zipf_frequency(word, language)


def type_token_ratio(tokens: list[str]) -> float | None:
    """Distinct words / words, averaged over windows of ``TTR_WINDOW`` words."""
    low = [t.lower() for t in tokens]
    if not low:
        return None
    if len(low) <= TTR_WINDOW:
        return round(len(set(low)) / len(low), 4)
    step = TTR_WINDOW // 2
    ratios = [len(set(low[i:i + TTR_WINDOW])) / TTR_WINDOW for i in range(0, len(low) - TTR_WINDOW + 1, step)]
    return round(sum(ratios) / len(ratios), 4)


def rare_and_keywords(tokens: list[str], lemmas: list[str] | None, language: str) -> tuple[list[str], list[str], str | None]:
    """(rare words, keywords, note). Without a frequency list for the language, keywords
    fall back to the most frequent longer words and no rare words are given."""
    lang = frequency_language(language)
    low = [t.lower().replace("’", "'") for t in tokens]
    if not low:
        return [], [], None
    counts = Counter(low)
    keys = Counter(lemmas) if lemmas else counts
    if lang is None:
        common = [w for w, _ in keys.most_common() if len(w) > 4][:MAX_LISTED]
        return [], common, f"no word-frequency list for {language!r}: rare words not computed"
    _use_language(lang)
    freq: dict[str, float] = {}
    for word in set(counts) | set(keys):
        freq[word] = zipf(word, lang)
    import wordfreq

    wordfreq.get_frequency_list.cache_clear()  # the dict built from it stays; the raw list is not needed
    rare = sorted((w for w in counts if freq[w] < RARE_ZIPF and len(w) > 2 and "'" not in w),
                  key=lambda w: (freq[w], w))[:MAX_LISTED]
    total = sum(keys.values())
    scored = []
    for word, n in keys.items():
        if len(word) < 3 or freq[word] >= 6.0 or "'" in word or word in ARCHAIC_FUNCTION_WORDS:
            continue  # function words (the, und, et...) and elisions (dimm'd) are never keywords
        expected = 10 ** (freq[word] - 9) * total if freq[word] > 0 else 1e-9 * total
        # log-likelihood ratio of the word's count against its expected count
        score = n * math.log(n / max(expected, 1e-12))
        if n > 1 or total < 200:
            scored.append((score, word))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return rare, [w for _, w in scored[:MAX_LISTED]], None
