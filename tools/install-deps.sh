#!/usr/bin/env bash
# Installs everything istd needs to build, test and benchmark, from Debian 12 packages only.
# Idempotent: packages already present are skipped. Must run as root (or via sudo).
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  ninja-build                # the build tool of tools/test.sh (keeps both cores busy)
  libxerces-c-dev            # XML parsing and XSD validation (SAX2)
  libboost1.81-dev           # Boost.Asio + Boost.Beast (header-only), 1.81 for Beast awaitables
  libcli11-dev               # command-line parsing with generated --help
  libssl-dev                 # TLS for istd serve
  libfmt-dev                 # formatting
  libsqlite3-dev             # the ledger (embedded, the default)
  libpq-dev                  # the ledger on a PostgreSQL server (--db postgresql://...)
  postgresql-15              # tests and benchmarks: a throwaway server (initdb, Unix socket)
  libjemalloc-dev            # allocator of the istd binary (ingest: less CPU than glibc malloc)
  libzstd-dev                # compression of the message bytes kept in the ledger
  doctest-dev                # unit tests
  nlohmann-json3-dev         # JSON output and parsing (JSON Lines, summary.json)
  libxml2-utils              # xmllint: benchmark reference and test oracle
  openssl                    # test certificates for istd serve
  python3                    # corpus generator and conformance tools
  chromium                   # tests: report.html opened headless, offline (console, requests)
  fonts-dejavu-core          # a font for chromium's screenshots
  tidy                       # tests: report.html checked by an HTML checker
  clang                      # tests: the sanitizer pass and the libFuzzer targets
  libclang-rt-14-dev         # libFuzzer and the sanitizer runtimes of clang 14
  lld                        # tests: LLVM's linker for the sanitizer builds (their links, of
                             # instrumented code, took GNU ld several seconds each)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
