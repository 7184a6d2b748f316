# scream: build, run and test.
#   make run    set up, build, and render scream.ogg
#   make test   set up, build, and run every test
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= release
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libopus-dev libogg-dev libsodium-dev pkg-config opus-tools ffmpeg

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

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: setup
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark

clean:
	rm -rf .build Benchmarks/.build
