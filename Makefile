# Shortcuts; each target is a script in scripts/ that also works without make.
.PHONY: run test lint wheel bundle screenshots clean

run:            ## set up and start the app in demo mode
	scripts/run

test:           ## set up and run lint, types and all tests (as CI does)
	scripts/test

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

wheel:          ## build dist/stackone_explorer-VERSION-py3-none-any.whl (pip/pipx installable)
	.venv/bin/python -m pip wheel --no-deps --no-build-isolation . -w dist

bundle:         ## build dist/stackone-explorer/ for this OS (ARCHIVE=1 also packs a .tar.gz)
	packaging/build.sh

screenshots:    ## retake the README screenshots from the real app in demo mode (needs xvfb)
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python -m explorer.ui.screenshots resources/screenshots

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
