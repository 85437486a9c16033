# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 8000
WORKERS ?= 3
# pytest-xdist workers; each has its own database (see tests/conftest.py).
TEST_WORKERS ?= 2

.PHONY: run test install browser proxy checkers lint format i18n i18n-compile migrate demo bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

i18n-compile: install
	$(BIN)/pybabel compile --use-fuzzy -d translations -D "messages admin"

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) tenants sync
	$(FLASK) demo load --if-empty

run: i18n-compile demo
	@echo ""
	@echo "Portal:    http://localhost:$(PORT)/"
	@echo "Subsites:  http://<code>.localhost:$(PORT)/   e.g. http://stc.localhost:$(PORT)/  http://dongxoai.localhost:$(PORT)/"
	@echo "Back office: /admin/ on every host. Demo logins (password BinhPhuoc@2026):"
	@echo "  admin@binhphuoc.gov.vn (province_admin)   thanhtra@stttt.binhphuoc.gov.vn (inspector)"
	@echo "  head.stc@demo.binhphuoc.gov.vn, editor.stc@..., contributor.stc@..., tenantadmin.stc@... (same pattern for every code)"
	@echo ""
	@echo "Worker:    flask worker (outbox, periodic jobs) runs beside the server and stops with it"
	@# The worker in the background (a non-interactive shell keeps Ctrl-C from it); when gunicorn ends, it is stopped.
	export PUBLIC_PORT=$${PUBLIC_PORT-$(PORT)}; \
	$(FLASK) worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/gunicorn --workers $(WORKERS) --bind 0.0.0.0:$(PORT) --access-logfile - --graceful-timeout 20 --preload wsgi:app

# Browser tests need the Debian chromium package; install it when root, otherwise stop and say so.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing the Debian chromium package for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need the Debian package 'chromium' (/usr/bin/chromium): sudo apt-get install chromium"; \
	    exit 1; \
	  fi; \
	fi

# The reverse-proxy test (tests/test_proxy.py) puts the Debian nginx package in front of gunicorn.
proxy:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing the Debian nginx package for the reverse-proxy test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	  else \
	    echo "The reverse-proxy test needs the Debian package 'nginx' (it is skipped without): sudo apt-get install nginx"; \
	  fi; \
	fi

# The W3C Nu HTML checker and axe-core, from the npm registry (R-33).
checkers: tools/checkers/node_modules/.installed

tools/checkers/node_modules/.installed: tools/checkers/package.json
	cd tools/checkers && npm install --no-audit --no-fund --silent
	touch $@

lint: install
	$(BIN)/ruff check app tests bench config.py wsgi.py
	$(BIN)/ruff format --check app tests bench config.py wsgi.py

format: install
	$(BIN)/ruff format app tests bench config.py wsgi.py
	$(BIN)/ruff check --fix app tests bench config.py wsgi.py

test: install browser proxy checkers i18n-compile lint
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile

i18n: install
	flock translations/.lock $(MAKE) --no-print-directory i18n-locked

i18n-locked:
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k FormMessage -o translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python tools/fill_en_catalogue.py translations/en/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile -d translations -D "messages admin"

bench: install
	$(BIN)/python bench/public_pages.py

clean:
	rm -rf $(VENV) instance/*.db instance/*.db-*
