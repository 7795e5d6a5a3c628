# fnhost: `make serve` builds everything and serves the examples; `make test` runs
# every test. All targets share the release profile, so wasmtime compiles once.

CARGO ?= cargo
ADDR ?= 127.0.0.1:8080
FNHOST := target/release/fnhost

.PHONY: setup build examples serve test bench bench-smoke bench-tools clean

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
	$(FNHOST) serve --addr $(ADDR) examples/hello examples/types examples/forms examples/models examples/responses

## Run every test: unit tests, macro tests, the end-to-end suite and a smoke run of
## the benchmarks (which needs wrk).
test: build examples bench-tools
	$(CARGO) test --release --workspace --no-fail-fast

## Install wrk, the benchmarks' load generator, when missing.
bench-tools:
	bash bench/setup.sh

## Run the benchmark suite against raw axum and `wasmtime serve` 48 (installed
## when missing, which takes many minutes) and write BENCHMARKS.md.
bench: build examples
	bash bench/setup.sh --peer
	target/release/fnhost-bench --out BENCHMARKS.md

## Run every benchmark for about a second, judging no target and skipping
## `wasmtime serve` when it is missing.
bench-smoke: build examples bench-tools
	target/release/fnhost-bench --smoke --out target/fnhost-bench-smoke.md

clean:
	$(CARGO) clean
	cd examples && $(CARGO) clean
