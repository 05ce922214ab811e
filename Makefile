# Quick start: `make run` (set up, build, triage this host) and `make test`.
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)

.PHONY: all setup configure build run test bench fuzz install static clean

all: build

setup:
	@scripts/setup-deps.sh deps/debian-packages.txt

configure: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# Exit status 1 only means findings at or above --fail-on were printed; 2 is an error.
run: configure
	@cmake --build $(BUILD) -j $(JOBS) --target vigil
	@./$(BUILD)/vigil triage; rc=$$?; [ $$rc -le 1 ] || exit $$rc

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# Coverage-guided fuzzing of every parser with libFuzzer (clang), FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
fuzz: setup
	@CXX=clang++ cmake -S . -B $(BUILD)-fuzz -G Ninja -DVIGIL_LIBFUZZER=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD)-fuzz -j $(JOBS) --target vigil_fuzzers
	@scripts/fuzz.sh $(BUILD)-fuzz $(FUZZ_SECONDS)

bench: build
	@bench/triage.sh
	@bench/store.sh
	@bench/logs.sh
	@bench/audit.sh

# The binary, rules, manual pages and completions under $(DESTDIR)$(PREFIX).
PREFIX ?= /usr/local
install: build
	@DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

# A portable vigil for a host where nothing can be installed: $(BUILD)/vigil-portable/ and
# its .tar.gz (the binary, its libraries and loader, a static launcher, the rules).
static: build
	@scripts/portable.sh $(BUILD) $(BUILD)/vigil-portable

clean:
	rm -rf $(BUILD)
