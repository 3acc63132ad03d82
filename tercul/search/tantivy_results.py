"""From matched documents to results for the embedded engine: passages grouped by text
(best first), title and hybrid scores combined, and the hits a page shows. The grouping
methods form a mixin of :class:`tercul.search.tantivy_backend.TantivyBackend`."""
from __future__ import annotations

import json
from collections import OrderedDict

from tantivy import Occur, Query

from .interface import AuthorHit, PassageHit, SearchRequest
from .tantivy_schema import is_author, number_key

TITLE_BOOST = 0.4


class ResultAssembly:
    def _collapse(self, searcher, scored: list[tuple[float, object]], authors: bool = True) -> list[dict]:
        """Best passage per text (or author, unless ``authors`` is False), in order,
        counting the others.

        Texts are told apart by a fast field, so only the best passage of each is loaded
        (by :meth:`_load`), and only for the page shown."""
        groups: OrderedDict[int, dict] = OrderedDict()
        tids = searcher.fast_field_values("tid", [addr for _s, addr in scored])
        for (score, addr), tid in zip(scored, tids):
            if not authors and is_author(tid):
                continue
            group = groups.get(tid)
            if group is None:
                groups[tid] = {"key": number_key(tid), "tid": tid, "score": float(score), "addr": addr,
                               "doc": None, "more": 0}
            else:
                group["more"] += 1
        return list(groups.values())

    @staticmethod
    def _load(searcher, page: list[dict]) -> list[dict]:
        for g in page:
            if g["doc"] is None and g["addr"] is not None:
                g["doc"] = searcher.doc(g["addr"])
        return page

    @staticmethod
    def _located(searcher, addrs: list) -> dict[int, tuple[int, object]]:
        """uid -> (tid, address) of these passages, read from fast fields (no document loaded)."""
        return {int(uid): (int(tid), addr) for uid, tid, addr in zip(searcher.fast_field_values("uid", addrs),
                                                                      searcher.fast_field_values("tid", addrs), addrs)}

    def _by_uid(self, searcher, scored: list[tuple[int, float]], where: dict | None = None) -> list[dict]:
        """Group scored passages (uid, score) by text, best first; drops uids not indexed.

        ``where`` (uid -> (tid, address)) holds passages already found; the others are
        looked up."""
        if not scored:
            return []
        where = dict(where or {})
        if unknown := [u for u, _ in scored if u not in where]:
            found = searcher.search(Query.term_set_query(self.schema, "uid", unknown), limit=len(unknown),
                                    count=False)
            where.update(self._located(searcher, [a for _s, a in found.hits]))
        groups: OrderedDict[int, dict] = OrderedDict()
        for uid, score in scored:
            if uid not in where:
                continue
            tid, addr = where[uid]
            if tid in groups:
                groups[tid]["more"] += 1
            else:
                groups[tid] = {"key": number_key(tid), "tid": tid, "score": float(score), "addr": addr, "doc": None,
                               "more": 0}
        return list(groups.values())

    def _sort_ranked(self, searcher, ranked: list[dict], request: SearchRequest) -> None:
        if request.sort in ("date", "title") and ranked:
            metas = self._text_meta(searcher, [g["key"] for g in ranked if not g["key"].startswith("a:")])
            if request.sort == "date":
                ranked.sort(key=lambda g: (metas.get(g["key"], {}).get("year") is None,
                                           metas.get(g["key"], {}).get("year") or 0))
            else:
                ranked.sort(key=lambda g: metas.get(g["key"], {}).get("sort_title") or "~")

    def _text_meta(self, searcher, keys: list[str]) -> dict[str, dict]:
        keys = [k for k in keys if not k.startswith("a:")]
        if not keys:
            return {}
        q = Query.boolean_query([self._doctype("text"), (Occur.Must, Query.term_set_query(self.schema, "key", keys))])
        found = searcher.search(q, limit=len(keys), count=False)
        out = {}
        for _s, addr in found.hits:
            doc = searcher.doc(addr)
            out[doc.get_first("key")] = json.loads(doc.get_first("meta"))
        return out

    def _hits(self, searcher, page: list[dict], request: SearchRequest) -> list[PassageHit | AuthorHit]:
        metas = self._text_meta(searcher, [g["key"] for g in page])
        hits: list[PassageHit | AuthorHit] = []
        for g in page:
            doc = g["doc"]
            if doc is None:  # a text found by its title alone: its first lines
                if (meta := metas.get(g["key"])) is not None:
                    hits.append(self._hit(meta, g["score"], meta.get("incipit_keys", []), meta.get("incipit", [])))
                continue
            meta = json.loads(doc.get_first("meta")) if doc.get_first("doctype") == "author" else metas.get(g["key"])
            if meta is None:
                continue
            if doc.get_first("doctype") == "author":
                hits.append(AuthorHit(slug=meta["slug"], name=meta["name"], names=meta["names"], born=meta["born"],
                                      score=g["score"]))
                continue
            passage = json.loads(doc.get_first("meta"))
            hit = self._hit(meta, g["score"], passage["keys"], doc.get_first("text").split("\n"))
            hit.more = g["more"]
            hits.append(hit)
        return hits

    @staticmethod
    def _hit(meta: dict, score: float, keys: list[str], lines: list[str]) -> PassageHit:
        return PassageHit(
            text_key=meta["key"], entity=meta["entity"], work_slug=meta["work_slug"],
            translation_key=meta["translation_key"], title=meta["title"], work_title=meta["work_title"],
            authors=[tuple(a) for a in meta["authors"]], language=meta["language"],
            original_language=meta["original_language"], form=meta["form"], year=meta["year"], score=score,
            line_keys=keys, lines=lines)


def add_titles(ranked: list[dict], titles: dict[int, float], *, new: bool = True) -> list[dict]:
    """Add ``TITLE_BOOST`` times each title score to the texts in ``ranked`` (groups from
    ``_collapse``), and, when ``new``, the texts found by title alone; best first."""
    if not titles:
        return ranked
    groups = {g["tid"]: g for g in ranked}
    for tid, score in titles.items():
        group = groups.get(tid)
        if group is None:
            if not new:
                continue
            group = {"key": number_key(tid), "tid": tid, "score": 0.0, "addr": None, "doc": None, "more": 0}
            ranked.append(group)
        group["score"] += TITLE_BOOST * score
    ranked.sort(key=lambda g: -g["score"])
    return ranked


def fuse(keyword: dict[int, float], semantic: dict[int, float], alpha: float) -> list[tuple[int, float]]:
    """Relative score fusion (as Weaviate's hybrid): min-max scale each list to [0, 1],
    then ``(1 - alpha) * keyword + alpha * semantic``; best first."""
    def scaled(scores: dict[int, float]) -> dict[int, float]:
        if not scores:
            return {}
        lo, hi = min(scores.values()), max(scores.values())
        if hi - lo < 1e-9:
            return {k: 1.0 for k in scores}
        return {k: (v - lo) / (hi - lo) for k, v in scores.items()}

    kw, sem = scaled(keyword), scaled(semantic)
    if alpha <= 0:
        sem = {}
    if alpha >= 1:
        kw = {}
    uids = set(kw) | set(sem)
    fused = {u: (1 - alpha) * kw.get(u, 0.0) + alpha * sem.get(u, 0.0) for u in uids}
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))
