"""Accuracy of the analysers on the labelled set (used by the tests and bench/analysis.py)."""
from __future__ import annotations

from dataclasses import dataclass, field

from tercul.analysis import analyse
from tercul.analysis.language import check_language
from tercul.texts.model import Division, Text

from . import corpus, labels


@dataclass
class Score:
    name: str
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.misses.append(what)

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0

    def line(self) -> str:
        misses = f"; misses: {', '.join(self.misses[:12])}" if self.misses else ""
        return f"{self.name}: {self.right}/{self.total} = {self.share:.1%}{misses}"


def _excerpt(slug: str, first: str, last: str) -> Text:
    lines = list(corpus.works()[slug].text.iter_lines())
    keys = [line.key for line in lines]
    return Text([Division("1", "stanza", lines=lines[keys.index(first):keys.index(last) + 1])])


def sonnet_rhymes() -> Score:
    score = Score("sonnet rhyme schemes")
    works = corpus.works()
    for n, expected in labels.SONNET_SCHEMES.items():
        result = analyse(works[f"shakespeare-sonnet-{n}"].text, language="en", form="poetry")
        score.add(result.rhyme_scheme == expected, f"{n} ({result.rhyme_scheme})")
    return score


def english_meters() -> Score:
    score = Score("English meter")
    works = corpus.works()
    cases = [((f"shakespeare-sonnet-{n}"), label) for n, label in labels.SONNET_METERS.items()]
    cases += list(labels.METERS.items())
    for key, expected in cases:
        if isinstance(key, tuple):
            text, form, name = _excerpt(*key), "poetry", f"{key[0]} {key[1]}-{key[2]}"
        else:
            text, form, name = works[key].text, works[key].form, key
        result = analyse(text, language="en", form=form)
        found = (result.meter or {}).get("name")
        score.add(found == expected, f"{name.removeprefix('shakespeare-')} ({found})")
    return score


def facets() -> Score:
    score = Score("form facets")
    works = corpus.works()
    for slug, expected in labels.FACETS.items():
        result = analyse(works[slug].text, language="en", form=works[slug].form)
        found = set(result.facets) - {f for f in result.facets if f.startswith("readability")}
        score.add(found == expected, f"{slug} ({sorted(found)})")
    return score


def _plain(text: Text, keys: tuple[str, ...] | None = None) -> str:
    return "\n".join(line.text for line in text.iter_lines()
                     if keys is None or line.key in keys or line.key.rsplit(".", 1)[0] in keys)


def udhr_articles() -> Score:
    score = Score("language of UDHR articles (15 languages x 5 articles)")
    udhr = corpus.works()["universal-declaration-of-human-rights"]
    texts = {"en": udhr.text} | {t.language: t.text for t in udhr.translations}
    for language, expected in labels.UDHR_ARTICLE_LANGUAGES.items():
        for article in labels.UDHR_ARTICLES:
            check = check_language(_plain(texts[language], (article,)), language)
            score.add(check.detected == expected and not check.mismatch,
                      f"{language} {article} ({check.detected})")
    return score


def psalm_languages() -> Score:
    score = Score("language of psalms in every translation")
    works = corpus.works()
    for n in labels.PSALMS:
        work = works[f"bible-psalms-{n}"]
        for language, text in [(work.language, work.text)] + [(t.language, t.text) for t in work.translations]:
            check = check_language(_plain(text), language)
            score.add(check.supported and not check.mismatch, f"psalm {n} {language} ({check.detected})")
    return score


def demo_languages() -> tuple[Score, int]:
    """Every demo text whose declared language the detector supports: (score, unsupported texts)."""
    score = Score("language of every demo text (detector-supported languages)")
    unsupported = 0
    for item in corpus.demo_texts():
        check = check_language(_plain(item.text), item.language)
        if not check.supported:
            unsupported += 1
            continue
        score.add(check.detected is not None and not check.mismatch, f"{item.name} ({check.detected})")
    return score, unsupported
