# smaudit — two commands for a fresh machine:
#   make demo   set up, then audit samples/packages → out/audit.xlsx + out/audit.jsonl + out/report/ (evidence view)
#   make test   set up, then ruff + import-linter + pytest
VENV ?= .venv
PY := $(VENV)/bin/python
# Debian packages: LibreOffice converts legacy .doc/.wps/.xls/.et; CJK fonts and poppler
# are used to build and check sample PDFs and to render the workbook in tests; qpdf rebuilds
# the eval set's damaged PDFs. Tests only: Chromium screenshots the evidence view (--report).
DEB_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk poppler-utils qpdf
TEST_DEB_PACKAGES := chromium

.PHONY: setup system-deps test-deps demo test check eval bench samples clean

setup: system-deps $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,cluster,train]'
	touch $@

system-deps:
	@if command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && command -v qpdf >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian packages: $(DEB_PACKAGES)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(DEB_PACKAGES) >/dev/null; \
	else echo "warning: no apt-get; install LibreOffice and poppler-utils by hand for .doc/.xls support" >&2; fi

test-deps:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian packages for the tests: $(TEST_DEB_PACKAGES)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(TEST_DEB_PACKAGES) >/dev/null; \
	else echo "warning: no apt-get; the browser test of the evidence view is skipped without Chromium" >&2; fi

demo: setup
	$(VENV)/bin/smaudit audit samples/packages -o out/audit.xlsx --json out/audit.jsonl --report out/report

eval: setup
	$(VENV)/bin/smaudit eval samples/packages --gold samples/gold.jsonl
	$(VENV)/bin/smaudit eval samples/eval/packages --gold samples/eval/gold.jsonl
	$(VENV)/bin/smaudit eval samples/cases/packages --gold samples/cases/gold.jsonl
	$(VENV)/bin/smaudit eval samples/real/packages --gold samples/real/gold.jsonl
	$(VENV)/bin/smaudit eval samples/real-rf/packages --gold samples/real-rf/gold.jsonl
	$(VENV)/bin/smaudit eval samples/real-rg/packages --gold samples/real-rg/gold.jsonl
	$(VENV)/bin/smaudit eval samples/real-rh/packages --gold samples/real-rh/gold.jsonl
	$(VENV)/bin/smaudit eval samples/real-ri/packages --gold samples/real-ri/gold.jsonl
	$(VENV)/bin/smaudit eval samples/real-rj/packages --gold samples/real-rj/gold.jsonl
	$(VENV)/bin/smaudit eval samples/real-rk/packages --gold samples/real-rk/gold.jsonl
	$(VENV)/bin/smaudit eval samples/real-rl/packages --gold samples/real-rl/gold.jsonl
	$(VENV)/bin/smaudit eval samples/real-rm/packages --gold samples/real-rm/gold.jsonl
	$(VENV)/bin/smaudit eval samples/real-rn/packages --gold samples/real-rn/gold.jsonl
	$(VENV)/bin/smaudit eval samples/real-ro/packages --gold samples/real-ro/gold.jsonl
	$(VENV)/bin/smaudit eval samples/real-rp/packages --gold samples/real-rp/gold.jsonl
	$(VENV)/bin/smaudit eval samples/real-rq/packages --gold samples/real-rq/gold.jsonl
	$(VENV)/bin/smaudit eval samples/real-rr/packages --gold samples/real-rr/gold.jsonl

test: setup test-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q

check: test

bench: setup
	$(PY) bench/extract.py
	$(PY) bench/ocr.py
	$(PY) bench/realworld.py
	$(PY) bench/scale.py

samples: setup
	$(PY) samples/make_samples.py

clean:
	rm -rf out .pytest_cache .ruff_cache
