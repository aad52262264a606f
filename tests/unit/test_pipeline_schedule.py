"""Scheduling of the master run (helpers.pipeline.run_stages) without kernels: notebooks are
"executed" and "converted" by stand-ins, so these tests check only who waits for whom."""

import threading

import pytest

from helpers import params, pipeline

STAGES = {"stages": [{"notebook": "a.ipynb", "needs": []}, {"notebook": "b.ipynb", "needs": []},
                     {"notebook": "c.ipynb", "needs": ["a"]}], "reports": []}


@pytest.fixture
def fake_run(monkeypatch, tmp_path):
    """run_stages with one worker, stand-in execution and conversion; returns the event log."""
    log, lock = [], threading.Lock()
    started = {name: threading.Event() for name in "abc"}

    def execute(self, nb, out_nb, parameters, label):
        with lock:
            log.append(("execute", label))
        started[label].set()
        if label == "b" and getattr(execute, "fail_b", False):
            raise pipeline.StageFailed("b failed")

    def convert(P, job, out_nb, staging, pdf_pool=None):
        if job.label == "a":  # the conversion of a waits until the worker has taken the next notebook
            assert started["b"].wait(timeout=20), "the worker was kept busy by a conversion"
        with lock:
            log.append(("convert", job.label))
        return []

    monkeypatch.setattr(pipeline.Lane, "execute", execute)
    monkeypatch.setattr(pipeline.Lane, "close", lambda self: None)
    monkeypatch.setattr(pipeline, "_convert", convert)
    monkeypatch.setattr(pipeline, "load_pipeline", lambda: STAGES)
    P = params.load(overrides={"run.workers": 1, "report.pdf": False})
    (tmp_path / "staging").mkdir()
    return lambda: pipeline.run_stages(P, tmp_path / "staging"), log, execute


def test__run_stages__worker_takes_next_notebook_while_previous_converts(fake_run):
    run, log, _ = fake_run
    summary = run()
    assert log.index(("execute", "b")) < log.index(("convert", "a"))  # b ran while a was being converted
    assert sorted(log) == sorted([("execute", x) for x in "abc"] + [("convert", x) for x in "abc"])
    assert {t.step for t in summary.timings} == {"a", "b", "c"}


def test__run_stages__failure_still_converts_what_executed_then_raises(fake_run):
    run, log, execute = fake_run
    execute.fail_b = True
    with pytest.raises(pipeline.StageFailed, match="b failed"):
        run()
    assert ("convert", "a") in log and ("convert", "b") not in log
