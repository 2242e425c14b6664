# The two quick-start commands: `make run` and `make test`.
.PHONY: run test lint setup

run:            ## set up, then load and validate the graph and serve it on http://127.0.0.1:8000/
	scripts/setup
	.venv/bin/mou-graph serve

test:           ## set up, then run the whole test suite
	scripts/setup --test
	.venv/bin/ruff check mou_graph tests bench
	.venv/bin/python -m pytest

lint:
	.venv/bin/ruff check mou_graph tests bench
