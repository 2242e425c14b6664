# The two quick-start commands: `make run` and `make test`.
.PHONY: run test lint setup lock audit

run:            ## set up, then load and validate the graph and serve it on http://127.0.0.1:8000/
	scripts/setup
	.venv/bin/mou-graph serve

test:           ## set up, then run the whole test suite
	scripts/setup --test
	.venv/bin/ruff check mou_graph tests bench
	.venv/bin/mypy
	.venv/bin/python -m pytest -n auto --dist loadfile

lint:
	.venv/bin/ruff check mou_graph tests bench
	.venv/bin/mypy

# The locks: requirements/runtime.lock (what `scripts/setup` installs) and requirements/test.lock (the
# same pins plus the test tools, for `scripts/setup --test`), resolved by uv from pyproject.toml for
# every platform and Python >= 3.11, with hashes. Existing pins are kept unless pyproject.toml needs
# another; `make lock UPGRADE=1` moves everything to the newest allowed versions.
UV_VERSION = 0.13.8
UV = .lock-venv/bin/uv
UV_COMPILE = $(UV) pip compile --quiet --universal --generate-hashes --annotation-style line \
	--custom-compile-command 'make lock' \
	$(if $(UPGRADE),--upgrade)

lock:           ## resolve requirements/runtime.lock and requirements/test.lock from pyproject.toml (needs the index)
	test -x $(UV) && $(UV) --version | grep -q '^uv $(UV_VERSION) ' || { python3 -m venv .lock-venv && \
	  .lock-venv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION); }
	$(UV_COMPILE) pyproject.toml -o requirements/runtime.lock
	$(UV_COMPILE) pyproject.toml --extra test -c requirements/runtime.lock -o requirements/test.lock

audit:          ## check both locks against the advisory databases (needs the network; not in pytest)
	python3 -m venv .audit-venv
	.audit-venv/bin/pip install --quiet --disable-pip-version-check --upgrade pip-audit
	.audit-venv/bin/pip-audit --requirement requirements/runtime.lock --require-hashes --disable-pip --strict
	.audit-venv/bin/pip-audit --requirement requirements/test.lock --require-hashes --disable-pip --strict
