"""The benchmark: synthetic corpora (generate.py) and one command that measures everything (run.py)."""
