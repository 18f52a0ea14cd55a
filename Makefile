# stancetrack: `make run` serves the dashboard, `make test` runs every test.
GO      ?= go
BIN     := bin/stancetrack
ADDR    ?= 127.0.0.1:8080
DB      ?= stancetrack.db
ASSETS  := static/echarts/echarts.min.js static/echarts/maps/world.js

.PHONY: run test build assets bench fuzz clean

# Set up, ingest the bundled sample into an empty database, and serve.
run: build
	./$(BIN) serve --sample --db $(DB) --addr $(ADDR)

# Every test: vet, unit, golden, fuzz seeds, handler and browser end-to-end
# tests (these skip without Chromium, except under CI=true).
test: assets
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

build: assets
	$(GO) build -o $(BIN) ./cmd/stancetrack

# echarts and the world map, pinned and checksummed, from the npm registry.
assets: $(ASSETS)
$(ASSETS) &: scripts/fetch-assets.sh
	bash scripts/fetch-assets.sh static/echarts

bench: assets
	$(GO) test -run '^$$' -bench . -benchmem ./...

fuzz:
	$(GO) test ./pressrelease -run '^$$' -fuzz FuzzParse -fuzztime 60s

clean:
	rm -rf bin
