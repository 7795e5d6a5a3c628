#!/usr/bin/env bash
# Installs what the benchmarks need, each only when missing:
# - wrk, the load generator, from Debian (needs root, as `apt-get` does);
# - with `--peer` as well: `wasmtime serve` 48, the peer, through cargo. That
#   build takes many minutes on two cores; it runs at the lowest priority and logs
#   to target/fnhost-bench-wasmtime-install.log.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
    echo "installing wrk from Debian"
    # A fresh machine may have no package lists yet.
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y wrk; }
fi

if [ "${1:-}" = "--peer" ]; then
    version="$( { wasmtime --version || "${HOME}/.cargo/bin/wasmtime" --version; } 2>/dev/null || true)"
    case "$version" in
        "wasmtime 48."*) ;;
        *)
            log=target/fnhost-bench-wasmtime-install.log
            mkdir -p target
            echo "installing wasmtime-cli 48 with cargo (many minutes; log in $log)"
            nice -n 19 cargo install wasmtime-cli --version '~48' --locked >"$log" 2>&1 \
                || { tail -20 "$log"; exit 1; }
            ;;
    esac
fi
