"""The cleaning stage: raw exports, journals and registers → validated ``core_*`` tables.

Modules: :mod:`io` (reading with encoding/delimiter detection, validated writing),
:mod:`normalise` (text, look-alike letters, dates, regions), :mod:`codebook` (labels → codes),
:mod:`pii` (pseudonyms, masking of Series), :mod:`masking` (the personal-data masker of one text),
:mod:`csv_safety` (CSV injection), :mod:`accounting` (row accounting, rejected rows),
:mod:`surveys`, :mod:`journals`, :mod:`events` (one pipeline per source), :mod:`schemas`.
"""

from __future__ import annotations


class CleaningError(ValueError):
    """A raw file cannot be cleaned; the message names the file, row, column and value."""
