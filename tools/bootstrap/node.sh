#!/usr/bin/env bash
# Prints the folder of the `node` every step of `make demo|test` runs on:
# the machine's own when it is Node.js 22 or newer, else the pinned Node.js 22
# LTS (.nvmrc), installed once from the npm registry, where every release is
# published as node-<platform>-<arch> (binary and headers, no npm: the
# machine's npm runs on it). Progress and errors go to stderr.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
minimum_major=22
pinned="$(tr -d ' \t\r\n' <"$root/.nvmrc")"

fail() {
  printf 'drift-detective bootstrap: %s\n' "$1" >&2
  exit 1
}

if command -v node >/dev/null 2>&1; then
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if ((major >= minimum_major)); then
    dirname "$(node -p 'process.execPath')"
    exit 0
  fi
fi

case "$(uname -s)" in
  Linux) platform=linux ;;
  Darwin) platform=darwin ;;
  *) fail "no pinned Node.js for $(uname -s): install Node.js ${minimum_major} or newer" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) fail "no pinned Node.js for $(uname -m): install Node.js ${minimum_major} or newer" ;;
esac

package="node-${platform}-${arch}"
prefix="$root/tools/.node/$pinned"
bin="$prefix/node_modules/$package/bin"
if [[ -x "$bin/node" ]] && [[ "$("$bin/node" --version)" == "v$pinned" ]]; then
  echo "$bin"
  exit 0
fi

command -v npm >/dev/null 2>&1 || fail "npm was not found on PATH: it installs Node.js $pinned"
printf 'installing Node.js %s from the npm registry (%s, first run only)…\n' "$pinned" "$package" >&2
log="$(mktemp)"
if ! npm install --prefix "$prefix" --no-package-lock --no-save --no-audit --no-fund \
  --loglevel=error "$package@$pinned" >"$log" 2>&1 || [[ ! -x "$bin/node" ]]; then
  cat "$log" >&2
  rm -f "$log"
  fail "npm install $package@$pinned failed: install Node.js ${minimum_major} or newer and run again"
fi
rm -f "$log"
echo "$bin"
