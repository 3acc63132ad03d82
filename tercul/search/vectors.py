"""Passage embeddings on disk, beside the keyword index: append-only segments.

Writes never rewrite what is there: a batch of vectors becomes a new small segment
(two ``.npy`` files) and the manifest, replaced atomically, lists the live segments.
Small segments are searched exactly (a matrix product); when they add up to
:data:`ANN_MIN` vectors they are merged into one segment with an HNSW graph
(``usearch``, int8), searched approximately. Keys are passage uids, which change with
the revision, so a vector is never updated in place; vectors of passages that left the
index are skipped at search time (the keyword index says which are live) and dropped
when segments are merged with :meth:`VectorStore.compact`.

A process killed in the middle of a write leaves at worst segment files that no
manifest names; the next writer removes them.
"""
from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

DIM = 512
ANN_MIN = 20_000  # below this many vectors, exact search is fast enough (a few ms)
MAX_SMALL_SEGMENTS = 8
STORE_DTYPE = np.float16


@dataclass
class Segment:
    name: str
    keys: np.ndarray  # uint64
    vectors: np.ndarray | None  # float32 rows (small segments), None for ANN segments
    ann: object | None  # usearch Index (memory-mapped view)

    def __post_init__(self) -> None:
        self.order = np.argsort(self.keys, kind="stable")
        self.sorted_keys = self.keys[self.order]

    @property
    def count(self) -> int:
        return len(self.keys)

    def rows_of(self, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(mask of ``wanted`` present here, their row numbers) by binary search."""
        return sorted_lookup(self.sorted_keys, self.order, wanted)


def sorted_lookup(sorted_keys: np.ndarray, order: np.ndarray | None, wanted: np.ndarray):
    if not len(sorted_keys):
        return np.zeros(len(wanted), dtype=bool), np.empty(0, dtype=np.int64)
    pos = np.searchsorted(sorted_keys, wanted)
    clipped = np.minimum(pos, len(sorted_keys) - 1)
    mask = sorted_keys[clipped] == wanted
    rows = clipped[mask] if order is None else order[clipped[mask]]
    return mask, rows


class VectorStore:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._manifest_stamp: tuple | None = None
        self._segments: list[Segment] = []
        self._all_keys: np.ndarray = np.empty(0, dtype=np.uint64)

    # ------------------------------------------------------------------ reading

    @property
    def manifest_path(self) -> Path:
        return self.path / "manifest.json"

    def _read_manifest(self) -> dict:
        try:
            return json.loads(self.manifest_path.read_text())
        except FileNotFoundError:
            return {"generation": 0, "segments": []}

    def generation(self) -> int:
        return int(self._read_manifest().get("generation", 0))

    def _stamp(self) -> tuple | None:
        try:
            st = self.manifest_path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def refresh(self) -> None:
        """Load the segments of the current manifest (cheap when nothing changed)."""
        stamp = self._stamp()
        if stamp == self._manifest_stamp:
            return
        with self._lock:
            for _attempt in range(5):
                manifest = self._read_manifest()
                try:
                    loaded = {s.name: s for s in self._segments}
                    segments = [loaded.get(entry["name"]) or self._open(entry) for entry in manifest["segments"]]
                    break
                except FileNotFoundError:  # a writer merged segments meanwhile: read the new manifest
                    time.sleep(0.05)
            else:
                raise RuntimeError("the vector index keeps changing under the reader")
            self._segments = segments
            self._all_keys = (np.unique(np.concatenate([s.keys for s in segments]))
                              if segments else np.empty(0, dtype=np.uint64))
            self._manifest_stamp = stamp

    def _open(self, entry: dict) -> Segment:
        name = entry["name"]
        keys = np.load(self.path / f"{name}.keys.npy")
        if entry.get("ann"):
            from usearch.index import Index

            ann = Index.restore(str(self.path / f"{name}.usearch"), view=True)
            return Segment(name, keys, None, ann)
        vectors = np.load(self.path / f"{name}.vecs.npy").astype(np.float32)
        return Segment(name, keys, vectors, None)

    def count(self) -> int:
        self.refresh()
        return int(len(self._all_keys))

    def keys(self) -> np.ndarray:
        self.refresh()
        return self._all_keys

    def missing(self, uids: Iterable[int]) -> set[int]:
        wanted = np.fromiter(uids, dtype=np.uint64)
        if not len(wanted):
            return set()
        self.refresh()
        present, _rows = sorted_lookup(self._all_keys, None, wanted)
        return set(int(u) for u in wanted[~present])

    def search(self, query: np.ndarray, k: int, live: Callable[[list[int]], set[int]] | None = None,
               oversample: float = 1.2) -> list[tuple[int, float]]:
        """The ``k`` nearest live passages as (uid, cosine similarity), best first.

        ``live`` keeps the uids that are in the index and pass the filters; when it
        rejects many, the search asks the engine for more candidates (up to 4 rounds).
        """
        self.refresh()
        query = np.asarray(query, dtype=np.float32)
        want = max(int(k * oversample), k + 16)
        for _round in range(4):
            candidates = self._nearest(query, want)
            if live is None:
                return candidates[:k]
            ok = live([u for u, _ in candidates])
            kept = [(u, s) for u, s in candidates if u in ok]
            if len(kept) >= k or len(candidates) < want:
                return kept[:k]
            want *= 8
        return kept[:k]

    def _nearest(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        best: dict[int, float] = {}
        for seg in self._segments:
            if not seg.count:
                continue
            if seg.ann is not None:
                matches = seg.ann.search(query, min(k, seg.count))
                pairs = zip(matches.keys.tolist(), (1.0 - matches.distances).tolist())
            else:
                scores = seg.vectors @ query
                n = min(k, len(scores))
                top = np.argpartition(-scores, n - 1)[:n]
                pairs = zip(seg.keys[top].tolist(), scores[top].tolist())
            for uid, score in pairs:
                if score > best.get(uid, -2.0):
                    best[uid] = score
        return sorted(best.items(), key=lambda kv: -kv[1])[:k]

    def score(self, query: np.ndarray, uids: list[int]) -> dict[int, float]:
        """Exact similarities of ``query`` to these passages (those that have vectors)."""
        self.refresh()
        found, matrix = self.get(uids)
        if not found:
            return {}
        return dict(zip(found, (matrix @ np.asarray(query, dtype=np.float32)).tolist()))

    def get(self, uids: list[int]) -> tuple[list[int], np.ndarray]:
        self.refresh()
        wanted = np.asarray(uids, dtype=np.uint64)
        out_keys: list[int] = []
        rows: list[np.ndarray] = []
        remaining = wanted
        for seg in reversed(self._segments):  # newest first
            if not len(remaining):
                break
            mask, where = seg.rows_of(remaining)
            if not mask.any():
                continue
            here = remaining[mask]
            if seg.ann is not None:
                vecs = np.asarray(seg.ann.get(here), dtype=np.float32).reshape(len(here), DIM)
                vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
            else:
                vecs = seg.vectors[where]
            out_keys.extend(int(u) for u in here)
            rows.append(vecs)
            remaining = remaining[~mask]
        return out_keys, (np.vstack(rows) if rows else np.empty((0, DIM), dtype=np.float32))

    # ------------------------------------------------------------------ writing

    @contextmanager
    def _writing(self):
        with self._lock, open(self.path / ".write.lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def add(self, vectors: dict[int, np.ndarray | list[float]]) -> None:
        """Append vectors (by passage uid) as a new segment, merging small ones if many."""
        if not vectors:
            return
        keys = np.fromiter(vectors.keys(), dtype=np.uint64, count=len(vectors))
        matrix = np.asarray([np.asarray(v, dtype=np.float32) for v in vectors.values()], dtype=np.float32)
        with self._writing():
            manifest = self._read_manifest()
            entry = self._write_segment(manifest, keys, matrix)
            manifest["segments"].append(entry)
            small = [s for s in manifest["segments"] if not s.get("ann")]
            if len(small) > MAX_SMALL_SEGMENTS or sum(s["count"] for s in small) >= ANN_MIN:
                manifest = self._merge(manifest, small)
            self._commit(manifest)

    def compact(self, live: set[int] | np.ndarray | None = None) -> None:
        """Merge every segment into one, keeping only ``live`` uids (all when None)."""
        with self._writing():
            manifest = self._read_manifest()
            self._commit(self._merge(manifest, list(manifest["segments"]), live=live))

    def clear(self) -> None:
        with self._writing():
            self._commit({"generation": self._read_manifest().get("generation", 0), "segments": []})

    def _merge(self, manifest: dict, entries: list[dict], live=None) -> dict:
        if not entries and live is None:
            return manifest
        keys_parts, vec_parts = [], []
        for entry in entries:
            seg = self._open(entry)
            if seg.ann is not None:
                found, vecs = seg.keys, np.asarray(seg.ann.get(seg.keys), dtype=np.float32).reshape(-1, DIM)
                vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
            else:
                found, vecs = seg.keys, seg.vectors
            keys_parts.append(found)
            vec_parts.append(vecs)
        names = {e["name"] for e in entries}
        rest = [e for e in manifest["segments"] if e["name"] not in names]
        if not keys_parts:
            return {**manifest, "segments": rest}
        keys = np.concatenate(keys_parts)
        matrix = np.vstack(vec_parts)
        # later segments win for a uid written twice (a retried job)
        _, last = np.unique(keys[::-1], return_index=True)
        pick = len(keys) - 1 - last
        keys, matrix = keys[pick], matrix[pick]
        if live is not None:
            keep = np.isin(keys, np.fromiter(live, dtype=np.uint64) if not isinstance(live, np.ndarray) else live)
            keys, matrix = keys[keep], matrix[keep]
        merged = self._write_segment(manifest, keys, matrix, ann=len(keys) >= ANN_MIN)
        return {**manifest, "segments": rest + [merged]}

    def _write_segment(self, manifest: dict, keys: np.ndarray, matrix: np.ndarray, ann: bool = False) -> dict:
        manifest["next_segment"] = manifest.get("next_segment", 0) + 1
        name = f"seg-{manifest['next_segment']:06d}"
        np.save(self.path / f"{name}.keys.npy", keys.astype(np.uint64))
        if ann:
            from usearch.index import Index

            index = Index(ndim=DIM, metric="cos", dtype="i8", connectivity=16, expansion_add=128,
                          expansion_search=96)
            index.add(keys.astype(np.uint64), matrix.astype(np.float32), threads=0)
            index.save(str(self.path / f"{name}.usearch"))
        else:
            np.save(self.path / f"{name}.vecs.npy", matrix.astype(STORE_DTYPE))
        return {"name": name, "count": int(len(keys)), "ann": ann}

    def _commit(self, manifest: dict) -> None:
        manifest["generation"] = int(manifest.get("generation", 0)) + 1
        tmp = self.path / f"manifest.json.{os.getpid()}.tmp"
        with open(tmp, "w") as handle:
            json.dump(manifest, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.manifest_path)
        self._remove_orphans(manifest)
        self._manifest_stamp = None

    def _remove_orphans(self, manifest: dict) -> None:
        live = {e["name"] for e in manifest["segments"]}
        for path in self.path.glob("seg-*"):
            if path.name.split(".")[0] not in live:
                path.unlink(missing_ok=True)

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.glob("*") if p.is_file())
