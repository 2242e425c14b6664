# The two quick-start commands: `make run` and `make test`.
.PHONY: run test lint setup

run:            ## set up, then build, validate and summarise the graph on the embedded store
	scripts/setup
	.venv/bin/mou-graph build -o out

test:           ## set up, then run the whole test suite
	scripts/setup --test
	.venv/bin/ruff check mou_graph tests bench
	.venv/bin/python -m pytest

lint:
	.venv/bin/ruff check mou_graph tests bench
