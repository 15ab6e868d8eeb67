# The two commands of the README. Each installs what it needs by itself:
# Node.js 22 when the machine's is older, npm packages (npm ci), then OPA,
# Regal and actionlint (built once from the Go module proxy), moto_server and
# cfn-lint (PyPI).
SHELL := /bin/bash
NX := npx nx

# Every step runs on Node.js 22 LTS or newer: the machine's node when it is one,
# else the pinned Node.js 22 (.nvmrc) the bootstrap installs from the npm
# registry into tools/.node. npm, npx and node-gyp all run on it, so native
# addons are built for the Node that loads them.
NODE_BIN := $(shell tools/bootstrap/node.sh)
ifeq ($(NODE_BIN),)
$(error no Node.js 22 or newer to run on (see the message above))
endif
export PATH := $(NODE_BIN):$(PATH)
NODE_VERSION := $(shell $(NODE_BIN)/node --version)
# A change of Node (or of the lockfile) installs the packages again.
NPM_STAMP := node_modules/.drift-installed-$(NODE_VERSION)

.PHONY: demo test bootstrap

# better-sqlite3 compiles from source where no prebuilt binary can be fetched;
# node-gyp then needs the Node headers. Point it at the ones installed beside
# node (…/include/node) unless npm is told otherwise, so no download of headers
# from nodejs.org is needed.
NODE_PREFIX := $(abspath $(NODE_BIN)/..)
NODEDIR := $(or $(npm_config_nodedir),$(if $(wildcard $(NODE_PREFIX)/include/node/node.h),$(NODE_PREFIX)))

$(NPM_STAMP): package-lock.json
	@rm -f node_modules/.drift-installed*
	$(if $(NODEDIR),npm_config_nodedir=$(NODEDIR) )npm ci --no-audit --no-fund
	@touch $@

bootstrap: $(NPM_STAMP)
	@npx tsx tools/src/toolchain/main.ts

# The main job on built-in sample data: scan the sample inventories of all three clouds.
demo: bootstrap
	@$(NX) run-many -t build -p policies cli --outputStyle=static
	@npx drift-detective scan --format table --input samples/aws --input samples/azure --input samples/gcp

# Every check: lint, typecheck, test (Vitest and opa test) and build of every project.
# The last line is the total across every runner: "N passed, N failed".
test: bootstrap
	@rm -rf reports
	@$(NX) run-many -t lint typecheck test test-other-node build --outputStyle=static; status=$$?; \
	  npx tsx tools/src/test-summary.ts; summary=$$?; \
	  exit $$(( status != 0 ? status : summary ))
