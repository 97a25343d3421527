# SPDX-License-Identifier: Apache-2.0
# The commands the README gives.  CMake does the building.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
WERROR     ?= ON
FUZZ_SECONDS ?= 300
BENCH_SECONDS ?= 10

.PHONY: all deps build asan run run-evidence test bench valgrind fuzz-build fuzz fuzz-short clean

all: build

deps:
	@scripts/deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVOUCH_WERROR=$(WERROR) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DVOUCH_SANITIZE=ON -DVOUCH_WERROR=$(WERROR) >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# The main job: the multi-party analytics demo on the simulated platform.
run: build
	@scripts/demo.sh $(BUILD)

# The first job alone: attest the vouch binary and verify the evidence.
run-evidence: build
	@scripts/demo-evidence.sh $(BUILD)

# Every test in the normal build, then again under ASan+UBSan, then the
# unit tests under valgrind, then each fuzz target briefly.
test: build asan
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory valgrind
	$(MAKE) --no-print-directory fuzz-short

# Benchmarks (numbers go in the notes; never timed assertions in tests).
bench: build
	bench/run.sh $(BUILD) $(BENCH_SECONDS)
	bench/channel.sh $(BUILD)
	bench/slog.sh $(BUILD)
	bench/verify.sh $(BUILD)

valgrind: build
	scripts/valgrind-unit.sh $(BUILD)

fuzz-build: deps
	CC=clang-14 cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DVOUCH_FUZZ=ON -DVOUCH_TESTS=OFF -DVOUCH_WERROR=$(WERROR) >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

# Short fuzz runs (CI); `make fuzz` runs each target FUZZ_SECONDS.
fuzz-short: fuzz-build
	scripts/fuzz.sh $(FUZZ_BUILD) 15

fuzz: fuzz-build
	scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
