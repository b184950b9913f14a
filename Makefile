# tui_crm: `make run` opens the app on a demo book, `make test` runs the suite.
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_DB ?= $(CURDIR)/var/demo.db
DEMO_CUSTOMERS ?= 20000
export TUI_CRM_DATABASE_URL ?= sqlite:///$(DEMO_DB)
# Test processes (pytest-xdist); each has its own PostgreSQL schema. `make test TEST_WORKERS=0`
# runs in one process.
TEST_WORKERS ?= 2
PYTEST := $(VENV)/bin/pytest -n $(TEST_WORKERS)

.PHONY: install run demo test check bench schema clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	# uv resolves and installs several times faster than pip; pip when uv cannot be had
	$(PY) -m pip install -q --upgrade pip uv && $(VENV)/bin/uv pip install -q --python $(PY) -e '.[dev]' \
		|| $(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

$(DEMO_DB): | $(VENV)/.installed
	$(VENV)/bin/tui-crm demo --customers $(DEMO_CUSTOMERS)
	TUI_CRM_PASSWORD=demo-pass $(VENV)/bin/tui-crm classify --user manager >/dev/null

demo: $(DEMO_DB)

# The app takes the whole screen, so say first what was built and how to sign in; at a
# terminal, Enter opens the app.
run: $(VENV)/.installed $(DEMO_DB)
	@echo "演示账套：$(DEMO_DB)"
	@echo "登录：用户 counter、manager、admin…，密码 demo-pass"
	@if [ -t 0 ]; then printf '按回车打开… '; read -r _; fi
	$(VENV)/bin/tui-crm

test: $(VENV)/.installed
	$(PYTEST)

check: $(VENV)/.installed
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy tui_crm tests
	$(VENV)/bin/lint-imports
	$(PYTEST)

bench: $(VENV)/.installed
	$(PY) bench/run_all.py

schema: $(VENV)/.installed
	$(VENV)/bin/tui-crm schema

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
