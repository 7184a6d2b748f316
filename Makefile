# scream: build, run and test.
#   make run      set up, build, and render scream.ogg
#   make test     set up, build, and run every test
#   make install  install scream, its shell completions and man page under PREFIX (and DESTDIR)
#   make fuzz     fuzz the decoders for FUZZ_SECONDS per target (not part of make test)
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= release
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libopus-dev libogg-dev libpng-dev libsodium-dev pkg-config opus-tools ffmpeg
PYTHON ?= python3
VENV := .venv
PREFIX ?= /usr/local
DESTDIR ?=
RUNS ?= 10
FUZZ_SECONDS ?= 120
# BotLoad runs as GUILDS:SECONDS:PACKET_CACHE_MB[:SHARDS]. One gateway session joins about 110
# voice channels a minute, so the larger runs spread their guilds over shards and their screams
# last long enough for all to overlap.
BOTLOAD_RUNS ?= 50:30:64 50:30:0 200:120:64:2 200:120:0:2 500:300:64:8
FUZZ_JOBS ?= 2
FUZZ_TARGETS ?= mls json dave config
FUZZ_FLAGS := -Xswiftc -sanitize=fuzzer,address
# Release builds link the Swift runtime and Foundation statically, so the binary runs on a
# machine without a Swift toolchain.
BUILD_FLAGS := -c $(CONFIG) $(if $(filter release,$(CONFIG)),--static-swift-stdlib)

.PHONY: setup build run test test-repeat install clean bench fuzz

setup:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: setup
	$(SWIFT) build $(BUILD_FLAGS)

run: build
	$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/scream generate scream.ogg

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

# The socket suites and the DAVE interop suite RUNS times; LOAD=1 keeps every core busy meanwhile.
test-repeat: test
	scripts/test-repeat $(RUNS) $(if $(LOAD),--load)

# A stripped binary, bash/zsh/fish completions and a man page generated from the help text.
install: build
	$(SWIFT) build $(BUILD_FLAGS) --product generate-manual
	@bin=$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path); \
	root="$(DESTDIR)$(PREFIX)"; \
	set -e; \
	install -d "$$root/bin" "$$root/share/man/man1" "$$root/share/bash-completion/completions" \
		"$$root/share/zsh/site-functions" "$$root/share/fish/vendor_completions.d"; \
	install -m 755 -s "$$bin/scream" "$$root/bin/scream"; \
	"$$bin/scream" --generate-completion-script bash > "$$root/share/bash-completion/completions/scream"; \
	"$$bin/scream" --generate-completion-script zsh > "$$root/share/zsh/site-functions/_scream"; \
	"$$bin/scream" --generate-completion-script fish > "$$root/share/fish/vendor_completions.d/scream.fish"; \
	"$$bin/generate-manual" "$$bin/scream" --section 1 --authors "The scream authors" \
		--output-directory "$$root/share/man/man1"; \
	echo "installed $$root/bin/scream, its completions and man page"

bench: setup
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark --target ScreamBenchmarks --no-progress
	cd Benchmarks && $(SWIFT) run -c release Pacing 60
	$(SWIFT) build $(BUILD_FLAGS) --product scream
	bin=$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path) && cd Benchmarks && \
	for run in $(BOTLOAD_RUNS); do \
		set -- $${run//:/ }; $(SWIFT) run -c release BotLoad "$$bin/scream" $$1 $$2 10 $$3 $$4 || exit 1; \
	done

# libFuzzer with AddressSanitizer over the decoders (Fuzz/, Sources/ScreamFuzzing), FUZZ_JOBS
# targets at a time; new inputs and crash files go to .build/fuzz/, the seeds stay in Tests/Fuzz/.
fuzz: setup
	cd Fuzz && $(SWIFT) build --product scream-fuzz $(FUZZ_FLAGS)
	scripts/fuzz "$$(cd Fuzz && $(SWIFT) build --show-bin-path)/scream-fuzz" $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_TARGETS)

clean:
	rm -rf .build Benchmarks/.build Fuzz/.build $(VENV)
