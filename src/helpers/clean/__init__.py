"""The cleaning stage, on Polars: raw exports, journals and registers → validated ``core_*`` tables.

Modules by concern: :mod:`read` (every file of a folder: csv, xlsx, xls, ods; sheet and header),
:mod:`text` (clean text, match keys, numbers), :mod:`dates` (any locale), :mod:`regions`,
:mod:`offices`, :mod:`answers` (labels → codes), :mod:`rules` (named row rules, the collector),
:mod:`masking` (contacts), :mod:`names` and :mod:`name_lexicon` (people's names) and :mod:`pii`
(personal data), :mod:`csv_safety`, :mod:`write` (validated tables),
:mod:`accounting` (row accounting, rejected rows); one module per source: :mod:`surveys`,
:mod:`journals`, :mod:`events` (with :mod:`handtyped` for the hand-typed tables); :mod:`stage`
runs them; :mod:`schemas`, :mod:`codebook`, :mod:`reference` load the config.
"""

from __future__ import annotations


class CleaningError(ValueError):
    """A raw file cannot be cleaned; the message names the file, row, column and value."""
