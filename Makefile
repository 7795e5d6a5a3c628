# fnhost: `make serve` builds everything and serves the examples; `make test` runs
# every test. All targets share the release profile, so wasmtime compiles once.

CARGO ?= cargo
ADDR ?= 127.0.0.1:8080
FNHOST := target/release/fnhost

.PHONY: setup build examples serve test clean

## Install the wasm32-wasip2 target when it is missing.
setup:
	@command -v $(CARGO) >/dev/null || { echo "cargo is missing: install Rust from https://rustup.rs"; exit 1; }
	@if ! rustc --print target-list >/dev/null 2>&1 || ! rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip2; then \
		echo "installing the wasm32-wasip2 target"; rustup target add wasm32-wasip2; fi

## Build the host binary. This is the same build as `make test` (which needs the
## binary too), so wasmtime compiles once for both.
build: setup
	$(CARGO) test --release --workspace --no-run

## Build the example guests into examples/target/wasm32-wasip2/release.
examples: setup
	cd examples && $(CARGO) build --release --target wasm32-wasip2

## Serve the example apps on $(ADDR).
serve: build examples
	$(FNHOST) serve --addr $(ADDR) examples/hello examples/types

## Run every test: unit tests, macro tests and the end-to-end suite.
test: build examples
	$(CARGO) test --release --workspace

clean:
	$(CARGO) clean
	cd examples && $(CARGO) clean
