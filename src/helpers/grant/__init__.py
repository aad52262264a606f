"""Grant-report stage: transcribed report figures, satisfaction, reach, plan vs fact, audit.

Modules: ``transcripts`` (parse the printed numbers of the hand-made report), ``intervals``
(Wilson interval), ``satisfaction``, ``reach``, ``planfact`` (indicator registry → table) and
``audit`` (check rows: reported vs recomputed).
"""
