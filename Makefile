# rekap-jp: two commands set everything up on a fresh clone: `make rekap` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

INPUT ?= input_samples
OUTPUT ?= output
PROFILE ?= nganjuk-2025
YEAR ?=
ROSTER ?=
INSTANSI ?=
JOBS ?=

REKAP_ARGS := --input "$(INPUT)" --output "$(OUTPUT)" --profile "$(PROFILE)" \
	$(if $(YEAR),--year "$(YEAR)") $(if $(ROSTER),--roster "$(ROSTER)") $(if $(JOBS),--jobs $(JOBS)) \
	$(if $(INSTANSI),--instansi "$(INSTANSI)")

.PHONY: rekap validate dokumen test lint format template samples bench mutation clean install

# Re-install only when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# REKAP_JP_MAKE=1: messages then name the variables typed here (YEAR=) rather than the options (--year).
rekap: $(STAMP)
	REKAP_JP_MAKE=1 $(BIN)/python -m pipeline rekap $(REKAP_ARGS)

validate: $(STAMP)
	REKAP_JP_MAKE=1 $(BIN)/python -m pipeline validate --input "$(INPUT)" --output "$(OUTPUT)" --profile "$(PROFILE)" $(if $(YEAR),--year "$(YEAR)")

# Certificates and Kartu PDFs again from the last run in OUTPUT (e.g. after editing instansi.toml).
dokumen: $(STAMP)
	REKAP_JP_MAKE=1 $(BIN)/python -m pipeline dokumen --output "$(OUTPUT)" --input "$(INPUT)" \
		$(if $(YEAR),--year "$(YEAR)") $(if $(INSTANSI),--instansi "$(INSTANSI)")

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check pipeline schemas tests tools
	$(BIN)/ruff format --check pipeline schemas tests tools
	$(BIN)/mypy pipeline

format: $(STAMP)
	$(BIN)/ruff format pipeline schemas tests tools
	$(BIN)/ruff check --fix pipeline schemas tests tools

template: $(STAMP)
	$(BIN)/python -m pipeline template --output "$(OUTPUT)/template_opd.xlsx" --profile "$(PROFILE)"

# Regenerates input_samples/ (committed, so a fresh clone already has them).
samples: $(STAMP)
	$(BIN)/python tools/make_samples.py --output input_samples

# The 200k scale case (with the naive pandas+openpyxl script) and the 1M-row variant; data cached in bench_data/.
bench: $(STAMP)
	$(BIN)/python tools/bench.py --files 40 --rows 5000 --rounds 3
	$(BIN)/python tools/bench.py --files 100 --rows 10000 --rounds 1 --no-naive
	$(BIN)/python tools/bench_documents.py

# Mutation testing of compute.py, validate.py and normalise.py with mutmut: a seeded sample of MUTANTS
# (about 25 minutes on 2 cores for 300) or MUTANTS=0 for all (many hours). Score table: docs/mutation.md.
MUTANTS ?= 300
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,mutation]"
	$(BIN)/python tools/mutation.py --sample $(MUTANTS) --jobs $(or $(JOBS),2)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache mutants
