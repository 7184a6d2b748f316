# scream: build, run and test.
#   make run    set up, build, and render scream.ogg
#   make test   set up, build, and run every test
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= release
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libopus-dev libogg-dev libpng-dev libsodium-dev pkg-config opus-tools ffmpeg
PYTHON ?= python3
VENV := .venv

.PHONY: setup build run test clean bench

setup:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: setup
	$(SWIFT) build -c $(CONFIG)

run: build
	$$($(SWIFT) build -c $(CONFIG) --show-bin-path)/scream generate scream.ogg

# The interop peers: Discord's libdave (dave.py) and davey, in a project-local venv.
$(VENV)/.ready: Tests/Interop/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r Tests/Interop/requirements.txt
	touch $@

test: setup $(VENV)/.ready
	$(SWIFT) build --build-tests
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(SWIFT) test --skip-build
	INTEROP_REPORT=.build/interop-report.txt $(VENV)/bin/python -m pytest -q Tests/Interop \
		--scream "$$($(SWIFT) build --show-bin-path)/scream"

bench: setup
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark
	cd Benchmarks && $(SWIFT) run -c release Pacing 60

clean:
	rm -rf .build Benchmarks/.build $(VENV)
