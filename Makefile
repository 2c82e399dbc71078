# One command builds and tests everything; one runs the demo. See README.md.
.PHONY: test demo tools bench fuzz regen help

help:
	@echo "make test   - install missing tools, then every suite (Rust, C, wasm/Node, Kotlin, Swift, mobile libs, fuzz smoke)"
	@echo "make demo   - run the demo program"
	@echo "make bench  - criterion benchmarks of the core and the wasm benchmark"
	@echo "make fuzz   - longer fuzz runs (FUZZ_SECONDS per target, default 300)"
	@echo "make regen  - rewrite the committed generated files (C header, TL types, Swift/Kotlin bindings)"

test:
	@bash .ci/test-all.sh

demo:
	@cargo run -q -p mtproto-testkit --bin demo

tools:
	@bash .ci/install-tools.sh

bench: tools
	cargo bench -p mtproto-core
	cargo bench -p mtproto-tl-api
	bash wasm/build.sh && node wasm/bench/ige.mjs && node wasm/bench/tl.mjs && node wasm/bench/transport.mjs && node wasm/bench/handshake.mjs

fuzz: tools
	FUZZ_SECONDS=$${FUZZ_SECONDS:-300} FUZZ_RUNS=-1 bash .ci/suites/fuzz.sh

regen:
	UPDATE_HEADER=1 cargo test -q -p mtproto-ffi --test header
	UPDATE_GENERATED=1 cargo test -q -p mtproto-core --test tl_codegen
	bash .ci/suites/regen-uniffi.sh
