"""The runner (helpers.pipeline.run_stages) without kernels: a stand-in worker "executes" a notebook
by writing files into the processed folder it is given, so these tests check the order of the jobs,
the stage cache and the assembled outputs that a run publishes."""

import itertools
import json
import threading

import pytest

from helpers import params, paths, pipeline

STAGES = {"stages": [{"notebook": "a.ipynb", "needs": []}, {"notebook": "b.ipynb", "needs": []},
                     {"notebook": "c.ipynb", "needs": ["a"]}], "reports": []}


@pytest.fixture
def runner(monkeypatch, tmp_path):
    """``run(**overrides) -> (summary, staging)`` with stand-in notebooks a, b, c; and the log of executions."""
    log, lock = [], threading.Lock()
    for name in "abc":
        (tmp_path / f"{name}.ipynb").write_text(json.dumps({"cells": [{"cell_type": "code", "source": name}]}))

    def execute(self, job, view, out):
        with lock:
            log.append(job.label)
        if job.label == "b" and getattr(execute, "fail_b", False):
            raise pipeline.StageFailed("b failed")
        P = params.load(execute.params_file, execute.overrides)
        if job.label == "c":  # reads a's table and one parameter
            a = (view / "a.csv").read_text()
            (view / "c.csv").write_text(f"{a} + {P['analysis.suppression_threshold']}")
        else:
            (view / f"{job.label}.csv").write_text(job.label)
        out["notebook"].parent.mkdir(parents=True, exist_ok=True)
        out["notebook"].write_text(job.label)
        reads = ["param:analysis.suppression_threshold"] if job.label == "c" else []
        return 0.0, 0.0, reads

    monkeypatch.setattr(pipeline.Worker, "execute", execute)
    monkeypatch.setattr(paths, "NOTEBOOKS", tmp_path)
    monkeypatch.setattr(pipeline, "load_pipeline", lambda: STAGES)

    params_file, runs = tmp_path / "params.yaml", itertools.count()
    params_file.write_text(paths.DEFAULT_PARAMS.read_text(encoding="utf-8"), encoding="utf-8")

    def run(force=False, **overrides):
        execute.params_file = params_file
        execute.overrides = {"run.workers": 1, "report.pdf": False, "report.review": False,
                             "paths.processed_dir": str(tmp_path / "processed"), **overrides}
        P = params.load(params_file, execute.overrides)
        staging = tmp_path / f"staging{next(runs)}"
        return pipeline.run_stages(P, staging, force=force), staging

    return run, log, execute, params_file


def test__run_stages__needs_first_then_everything_reused(runner):
    run, log, _, params_file = runner
    first, staging = run()
    assert log.index("a") < log.index("c") and sorted(log) == ["a", "b", "c"]
    assert all(s.startswith("ran (key ") for s in first.stages.values())
    assert (staging / "processed" / "c.csv").read_text() == "a + 5"
    second, staging2 = run()
    assert sorted(log) == ["a", "b", "c"]  # nothing executed again
    assert second.stages == {k: v.replace("ran", "reused") for k, v in first.stages.items()}
    for f in ["processed/a.csv", "processed/b.csv", "processed/c.csv", "reports/review/c.ipynb"]:
        assert (staging2 / f).read_bytes() == (staging / f).read_bytes()


def test__run_stages__a_parameter_changed_in_the_file_reruns_only_the_stage_that_reads_it(runner):
    run, log, _, params_file = runner
    run()
    log.clear()
    text = params_file.read_text(encoding="utf-8")
    params_file.write_text(text.replace("suppression_threshold: 5", "suppression_threshold: 7"), encoding="utf-8")
    summary, staging = run()
    assert log == ["c"]
    assert summary.stages["a"].startswith("reused") and summary.stages["c"].startswith("ran")
    assert (staging / "processed" / "c.csv").read_text() == "a + 7"


def test__run_stages__force_executes_again(runner):
    run, log, _, params_file = runner
    run()
    log.clear()
    run(force=["c"])
    assert log == ["c"]
    run(force=True)
    assert sorted(log) == ["a", "b", "c", "c"]


def test__run_stages__failure_is_raised_and_nothing_after_it_starts(runner):
    run, log, execute, _ = runner
    execute.fail_b = True
    with pytest.raises(pipeline.StageFailed, match="b failed"):
        run()
    assert "b" in log


def test__plan__only_a_stage_brings_the_stages_it_needs():
    P = params.load()
    assert [j.label for j in pipeline.plan(P, STAGES, only=["c"])] == ["a", "c"]
    with pytest.raises(ValueError, match="unknown stages"):
        pipeline.plan(P, STAGES, only=["zz"])


def test__cli_run__unknown_stage_name_stops_before_anything_runs(capsys):
    from helpers import cli

    assert cli.main(["run", "--force-stage", "99_nothing"]) == 2
    assert "unknown stage(s) ['99_nothing']" in capsys.readouterr().err
