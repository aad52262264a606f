"""Mediation research workbook: importable logic behind the notebooks.

Modules are split by stage (see README): ``paths``, ``params``, ``figures`` and
``pipeline``/``render``/``manifest`` form the backbone; ``clean``, ``analysis``
and ``grant`` hold the stage logic; ``demo`` generates the synthetic demo data.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
