# Two commands: `make run` (local stack with the demo) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)

.PHONY: install chromium node client run test lint bench bench-rne-local clean deploy

# Re-runs reuse .venv; the stamp changes only when pyproject.toml or the lock does. Every version comes from
# requirements.lock (python -m infra.requirements resolves it again after an edit of pyproject.toml).
$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "$$(grep '^pip==' requirements.lock)"  # the lock's pip: chalice pins pip below the newest
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m infra.requirements --check
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) -m infra.local_stack

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# The browser tests of public pages drive Debian's chromium: installed here when missing (apt, as root or sudo).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@command -v chromium >/dev/null 2>&1 || { echo "Installing Debian chromium for the browser tests…"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# Node and npm for the frontend's typed client (clients/typescript): Debian's, installed here when missing.
node:
	@command -v npm >/dev/null 2>&1 || { echo "Installing Debian nodejs and npm for the typed client…"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }

# The typed client, after a change of the HTTP contract: the document and its TypeScript types written again.
client: install node
	$(PY) -m infra.typescript_client

# The committed client must be what the document generates (a contract change shows in its diff) and type-check.
# Unit, service and API tests in parallel (one moto per worker); then the end-to-end tests, two modules at a time
# (each module starts its own local stack: two stacks at most), and last those marked `alone` (the concurrency
# test's deadlines assume the machine to itself). Each run lists its slowest tests, to keep CI's time in sight.
test: lint chromium node
	$(PY) -m infra.typescript_client --check
	$(PY) -m pytest -m "not e2e" -n auto --durations=8
	$(PY) -m pytest -m "e2e and not alone" -n 2 --dist loadfile --durations=12
	$(PY) -m pytest -m "e2e and alone" --durations=4

bench: install
	$(PY) -m bench.run $(BENCH_ARGS)
	$(PY) -m bench.rne $(BENCH_ARGS)
	$(PY) -m bench.reminders $(BENCH_ARGS)
	$(PY) -m bench.electoral $(BENCH_ARGS)
	$(PY) -m bench.neutrality $(BENCH_ARGS)
	$(PY) -m bench.campaign $(BENCH_ARGS)
	$(PY) -m bench.sms_campaign $(BENCH_ARGS)
	$(PY) -m bench.package $(BENCH_ARGS)
	$(PY) -m bench.donations $(BENCH_ARGS)
	$(PY) -m bench.dedupe $(BENCH_ARGS)
	$(PY) -m bench.privacy $(BENCH_ARGS)
	$(PY) -m bench.consultation $(BENCH_ARGS)
	$(PY) -m bench.contact_import $(BENCH_ARGS)
	$(PY) -m bench.cold_start $(BENCH_ARGS)
	$(PY) -m bench.faults $(BENCH_ARGS)

# The RNE maires file (35,000 rows) through the real local stack over HTTP; ~40 min (not in CI).
bench-rne-local: install
	$(PY) -m bench.rne --local-stack $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .local

# Deploy a stage to AWS with the operator's credentials (infra/README.md, « Deploy »); nothing deploys from CI.
#   make deploy STAGE=prod DEPLOY_BUCKET=… [DOMAIN=…] [CORS_ORIGINS=…] [ALARM_EMAIL=…] [SENDER_ADDRESSES=…]
#               [DEFAULT_SENDER=…] [INBOUND_DOMAIN=… INBOUND_REGION=…] [OPERATOR_TENANTS=…] [DRY_RUN=1]
STAGE ?= dev
deploy: install
	$(PY) -m infra.deploy --stage "$(STAGE)" --bucket "$(DEPLOY_BUCKET)" \
	  $(if $(DOMAIN),--domain "$(DOMAIN)") $(if $(CORS_ORIGINS),--cors "$(CORS_ORIGINS)") \
	  $(if $(ALARM_EMAIL),--alarm-email "$(ALARM_EMAIL)") \
	  $(if $(SENDER_ADDRESSES),--sender-addresses "$(SENDER_ADDRESSES)") \
	  $(if $(DEFAULT_SENDER),--default-sender "$(DEFAULT_SENDER)") \
	  $(if $(INBOUND_DOMAIN),--inbound-domain "$(INBOUND_DOMAIN)") \
	  $(if $(INBOUND_REGION),--inbound-region "$(INBOUND_REGION)") \
	  $(if $(OPERATOR_TENANTS),--operator-tenants "$(OPERATOR_TENANTS)") $(if $(DRY_RUN),--dry-run)
