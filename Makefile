# kycgate — the two set-up commands are `make run` and `make test`; each
# installs what it needs first (scripts/setup.sh).

GO       ?= go
BIN      := bin/kycgate
PKGS     := ./...

.PHONY: run test setup build models eval bench lint fuzz wasm clean

## run: install what is needed, build, and serve on the embedded defaults
run: setup build
	./$(BIN) serve

## test: install what is needed, then lint and run every test
test: setup lint
	$(GO) test -count=1 -timeout 12m $(PKGS)

setup:
	@bash scripts/setup.sh

build:
	$(GO) build -o $(BIN) ./cmd/kycgate

models:
	bash scripts/models.sh $${KYCGATE_MODELS_DIR:-./models}

## eval: accuracy of every detector, per reason code
eval: setup build
	./$(BIN) eval

## bench: speed and memory targets
bench: setup
	bash scripts/bench.sh

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet $(PKGS)
	@if command -v staticcheck >/dev/null 2>&1; then staticcheck $(PKGS); \
	elif [ -x "$$($(GO) env GOPATH)/bin/staticcheck" ]; then "$$($(GO) env GOPATH)/bin/staticcheck" $(PKGS); \
	else echo "lint: staticcheck not installed (GOFLAGS= go install honnef.co/go/tools/cmd/staticcheck@v0.8.2)"; fi

## wasm: the image-analysis packages build for the browser
wasm:
	GOOS=js GOARCH=wasm $(GO) build ./imageio ./quality ./docloc ./mrz ./mrzocr

clean:
	rm -rf bin
