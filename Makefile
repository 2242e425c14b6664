# The two quick-start commands: `make run` and `make test`.
.PHONY: run test lint setup lock audit

run:            ## set up, then load and validate the graph and serve it on http://127.0.0.1:8000/
	scripts/setup
	.venv/bin/mou-graph serve

test:           ## set up, then run the whole test suite
	scripts/setup --test
	.venv/bin/ruff check mou_graph tests bench
	.venv/bin/python -m pytest

lint:
	.venv/bin/ruff check mou_graph tests bench

lock:           ## pin the versions the venv runs with (the package itself left out)
	{ echo "# The versions mou-graph runs and is tested with: pip freeze of the project venv (the package"; \
	  echo "# itself left out). Regenerate with make lock; audit with make audit (docs/security.md)."; \
	  .venv/bin/pip freeze --exclude-editable | grep -iv '^mou-graph'; } > requirements.lock.part
	mv requirements.lock.part requirements.lock

audit:          ## check the pinned versions against the advisory databases (needs the network; not in pytest)
	python3 -m venv .audit-venv
	.audit-venv/bin/pip install --quiet --upgrade pip-audit
	.audit-venv/bin/pip-audit --requirement requirements.lock --no-deps --disable-pip --strict
