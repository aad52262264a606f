"""Statistics of the four-aspect analysis: intervals, frequency tables, suppression, tests, models.

Small pure functions, vectorised over pandas/numpy (aspect 1 runs on a million rows without
per-row Python). Notebooks ``20_…`` – ``23_…`` chain them; the analytic report reads what they
write (``out_aspect<N>__*.parquet``, charts, ``figures.json``).
"""

from helpers.analysis import (crosstab, disclosure, grouping, inputs, intervals, labels, likert, plots, present, regression,
                              tables, weights)

__all__ = ["crosstab", "disclosure", "grouping", "inputs", "intervals", "labels", "likert", "plots", "present", "regression", "tables", "weights"]
