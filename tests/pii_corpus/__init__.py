"""The labelled corpus the personal-data masker is measured on (build.py writes corpus.csv; measure.py counts)."""
