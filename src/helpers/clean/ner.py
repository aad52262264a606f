"""natasha's Russian NER (the persons it finds) for the name masker (:mod:`helpers.clean.names`), in a process of its own.

Loading the model is ~0.5 s of Python work holding the interpreter lock, as long as cleaning all the demo survey
exports: in a thread it slows the stage down by as much. :func:`start` starts this file as a worker process
(once per process; ``python -I``: only the installed packages on its path), which loads the model on the other
core while the stage reads and cleans its files; :func:`person_spans` sends it a text (a JSON line on its
stdin) and reads the spans back. The worker ends when its stdin closes, with the process that started it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from functools import lru_cache

_LOCK = threading.Lock()  # one question and answer at a time on the pipes


@lru_cache(maxsize=1)
def start() -> subprocess.Popen:
    """The worker process, started once per process."""
    return subprocess.Popen([sys.executable, "-I", __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, encoding="utf-8")


def person_spans(text: str) -> list[tuple[int, int]]:
    """natasha's PER spans of ``text``: ``(start, end)`` character offsets.

    >>> person_spans("Консультацию провела Анна Петрова в Астане.")
    [(21, 33)]
    """
    worker = start()
    with _LOCK:
        worker.stdin.write(json.dumps(text) + "\n")
        worker.stdin.flush()
        answer = worker.stdout.readline()
    if not answer:
        raise RuntimeError(f"the NER worker process ended (exit code {worker.poll()}); its error is printed above")
    return [(a, b) for a, b in json.loads(answer)]


def _serve() -> None:
    from natasha import NewsEmbedding, NewsNERTagger
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)  # a few tiny matrices per text: BLAS threads cost 5–20× the work
    tagger = NewsNERTagger(NewsEmbedding())
    for line in sys.stdin:
        spans = [(s.start, s.stop) for s in tagger(json.loads(line)).spans if s.type == "PER"]
        print(json.dumps(spans), flush=True)


if __name__ == "__main__":
    _serve()
