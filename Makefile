# The two commands of the README. Each installs what it needs by itself:
# npm packages (npm ci), then OPA and Regal (built once from the Go module proxy).
SHELL := /bin/bash
NX := npx nx
NPM_STAMP := node_modules/.drift-installed

.PHONY: demo test bootstrap

# better-sqlite3 compiles from source where no prebuilt binary can be fetched;
# node-gyp then needs the Node headers. Point it at the ones installed beside
# node (…/include/node) unless npm is told otherwise, so no download of headers
# from nodejs.org is needed.
NODE_PREFIX := $(shell node -p "require('path').resolve(process.execPath, '..', '..')")
NODEDIR := $(or $(npm_config_nodedir),$(if $(wildcard $(NODE_PREFIX)/include/node/node.h),$(NODE_PREFIX)))

$(NPM_STAMP): package-lock.json
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
	@$(NX) run-many -t lint typecheck test build --outputStyle=static; status=$$?; \
	  npx tsx tools/src/test-summary.ts; summary=$$?; \
	  exit $$(( status != 0 ? status : summary ))
