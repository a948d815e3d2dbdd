# Obvious verbs: run, test, check, bench. Everything installs into .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
SEED := terms/fixtures/glossaire-ventes.csv

.PHONY: run setup install install-test editor test check format bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	# SchXslt (MIT), shipped inside dcclib, compiles the TBX-Basic Schematron rules for
	# saxonche; only its XSLT files are used, so none of dcclib's dependencies.
	$(BIN)/pip install --quiet --no-deps dcclib==0.4.0
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Migrate, load the seed into an empty database, collect static files.
setup: install
	$(BIN)/python scripts/dev_env.py $(BIN)/python manage.py migrate --no-input
	$(BIN)/python scripts/dev_env.py $(BIN)/python manage.py load_seed
	$(BIN)/python scripts/dev_env.py $(BIN)/python manage.py collectstatic --no-input --verbosity 0

run: setup
	@echo ""
	@echo "The glossary is at http://127.0.0.1:$(PORT)/  (Ctrl+C stops it)"
	@echo "To create an editor account, in another terminal:"
	@echo "    make editor"
	@echo ""
	# The web server and the worker of background imports, stopped together by Ctrl+C.
	PORT=$(PORT) $(BIN)/python scripts/dev_env.py $(BIN)/python scripts/run_all.py

# Create a superuser, then put them in the "Glossary editors" group.
editor: install
	$(BIN)/python scripts/dev_env.py $(BIN)/python manage.py createsuperuser

test: install-test
	$(BIN)/python -m pytest

check: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo --no-cache
	for catalogue in locale/*/LC_MESSAGES/django.po; do msgfmt --check-format -o /dev/null "$$catalogue" || exit 1; done
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SECRET_KEY=check-deploy-only-$$(date +%s)-not-a-real-secret-key-0123456789abcdef \
		DJANGO_SECURE_HSTS_SECONDS=31536000 DJANGO_SECURE_SSL_REDIRECT=1 \
		DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS=1 DJANGO_SECURE_HSTS_PRELOAD=1 \
		GLOSSARY_BASE_URL=https://glossary.example.com \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Rebuild the French and English catalogues after changing interface strings.
# One pass over the whole project: a pass over a subfolder with --no-obsolete would
# drop every other string (and its translation) from the shared locale/ catalogues.
messages: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l fr -l en --no-obsolete \
		--ignore=bench --ignore=tests --ignore=staticfiles --ignore=data
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

bench: install-test
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
