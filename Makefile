# Shortcuts; each target is a script in scripts/ that also works without make.
.PHONY: run test lint bundle screenshots clean

run:            ## set up and start the app in demo mode
	scripts/run

test:           ## set up and run lint, types and all tests (as CI does)
	scripts/test

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

bundle:         ## build dist/stackone-explorer/ for this OS (ARCHIVE=1 also packs a .tar.gz)
	packaging/build.sh

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
