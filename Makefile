# modelgate — the two commands of the README, and the rest of the developer workflow.
#
#   make demo   set up, build in release mode, create the example registry, run the gate on it
#   make test   set up, build, run the test suite

SWIFT      ?= swift
DEMO_DIR   ?= .build/demo-registry
RELEASE    := $(CURDIR)/.build/release/modelgate
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test deps build release test-asan bench format lint clean

## Installs what building and testing need: libgit2 (the only system library) and git.
deps:
	@if ! pkg-config --exists libgit2 2>/dev/null || ! command -v git >/dev/null; then \
		echo "installing libgit2-dev, pkg-config and git"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q libgit2-dev pkg-config git; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

demo: release
	@rm -rf $(DEMO_DIR)
	@echo "== modelgate init --example $(DEMO_DIR)"
	@$(RELEASE) init $(DEMO_DIR) --example
	@echo
	@echo "== git log (the registry's history)"
	@git -C $(DEMO_DIR) log --format='%h %ad %an: %s' --date=short
	@echo
	@echo "== modelgate validate"
	@$(RELEASE) validate --repo $(DEMO_DIR)
	@echo
	@echo "== modelgate status"
	@$(RELEASE) status --repo $(DEMO_DIR)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

test-asan: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	$(SWIFT) test --sanitize=address --scratch-path .build-asan

bench: release
	bench/validate.sh

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

clean:
	rm -rf .build .build-asan
