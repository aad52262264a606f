"""Mediation research workbook: importable logic behind the notebooks.

Modules are split by stage (see README): ``paths``, ``params``, ``figures`` and
``pipeline``/``render``/``manifest`` form the backbone; ``clean``, ``analysis``
and ``grant`` hold the stage logic; ``demo`` generates the synthetic demo data.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"

# jsonschema (under nbformat and papermill) registers an IRI format checker if the optional
# rfc3987-syntax is installed (jupyter-events pulls it in); that package builds a lark grammar
# at import, 0.8 s in every process that imports nbformat (the command line, the master
# kernel, the PDF process, nbval). Nothing in the workbook validates IRIs: skip it here.
import sys as _sys

if "jsonschema" not in _sys.modules:
    _sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None: "import fails"
del _sys
