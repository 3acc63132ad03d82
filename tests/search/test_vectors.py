"""The vector store: append-only segments, merges, ANN above a size, crash leftovers."""
import numpy as np

from tercul.search import vectors
from tercul.search.vectors import VectorStore


def unit(rng, n):
    x = rng.standard_normal((n, vectors.DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_add_search_and_missing(tmp_path):
    rng = np.random.default_rng(1)
    store = VectorStore(tmp_path)
    x = unit(rng, 50)
    store.add({i + 1: x[i] for i in range(50)})
    assert store.count() == 50 and store.missing([1, 2, 999]) == {999}
    top = store.search(x[7], 3)
    assert top[0][0] == 8 and top[0][1] > 0.99
    live = store.search(x[7], 3, live=lambda uids: {u for u in uids if u != 8})
    assert 8 not in [u for u, _ in live] and len(live) == 3


def test_small_segments_merge_then_get_an_ann_graph(tmp_path, monkeypatch):
    monkeypatch.setattr(vectors, "ANN_MIN", 300)
    rng = np.random.default_rng(2)
    store = VectorStore(tmp_path)
    x = unit(rng, 400)
    for start in range(0, 400, 40):
        store.add({i + 1: x[i] for i in range(start, start + 40)})
    manifest = store._read_manifest()
    assert any(s["ann"] for s in manifest["segments"]) and len(manifest["segments"]) <= vectors.MAX_SMALL_SEGMENTS + 1
    assert store.count() == 400
    assert store.search(x[123], 1)[0][0] == 124
    found, matrix = store.get([124, 5, 9999])
    assert sorted(found) == [5, 124] and matrix.shape == (2, vectors.DIM)
    store.compact(live=np.arange(1, 101, dtype=np.uint64))
    assert store.count() == 100 and store.missing([150]) == {150}


def test_orphan_files_of_a_killed_writer_are_removed(tmp_path):
    store = VectorStore(tmp_path)
    (tmp_path / "seg-999999.keys.npy").write_bytes(b"half written")
    store.add({1: np.ones(vectors.DIM, dtype=np.float32) / np.sqrt(vectors.DIM)})
    assert not (tmp_path / "seg-999999.keys.npy").exists() and store.count() == 1


def test_a_reader_sees_writes_of_another_process(tmp_path):
    writer, reader = VectorStore(tmp_path), VectorStore(tmp_path)
    assert reader.count() == 0
    writer.add({5: np.ones(vectors.DIM, dtype=np.float32) / np.sqrt(vectors.DIM)})
    assert reader.count() == 1
