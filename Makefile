# ebsim - engine-block thermal model.
#   make run     build and run the CS-3 baseline case (cases/cs3.yaml)
#   make test    build and run the Criterion test suite
#   make run-cs4 the CS-4 power/flow sweep and inlet/flow limit searches
#   make asan    build and run the tests with AddressSanitizer + UBSan
#   make valgrind  a small case under valgrind memcheck (no errors, no leaks of ours)
#   make bench   performance harness (cells, iterations, wall time, memory)
#   make bench-large  the same with a 52 M-cell grid added (about 12 GB)
#   make bench-mpi    ebsim under mpirun: memory per rank, speed-up, a sweep on rank groups
#   make verify  heavier verification runs (grid convergence on the full case, faults)
#   make fuzz    libFuzzer on the case reader and --set (clang; FUZZ_SECONDS=60)
# Missing Debian packages are installed with apt-get when run as root;
# otherwise the exact command is printed and make stops.

VERSION := 0.1.0

DEB_PKGS := pkg-config libsundials-dev libhypre-dev libopenmpi-dev openmpi-bin \
            libhdf5-openmpi-dev libplplot-dev plplot-driver-cairo libcriterion-dev \
            libyaml-dev libjansson-dev time valgrind hdf5-tools poppler-utils

CC := mpicc
OPT ?= -O2
CSTD := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN := -Wall -Wextra -Werror
INCS := -I. -I/usr/include/hypre -I/usr/include/hdf5/openmpi -I/usr/include/plplot
CFLAGS_ALL = $(CSTD) $(OPT) -g $(WARN) $(INCS) -DEBSIM_VERSION=\"$(VERSION)\" $(EXTRA_CFLAGS)
# SUNDIALS' vectors (serial, OpenMP, MPI) are compiled here from SUNDIALS'
# own source (third_party/sundials: 6.4.1, the version and headers Debian 12
# ships) instead of linked from libsundials_nvec*: Debian's SUNDIALS
# libraries are built without optimisation (every element of a vector
# operation goes through the stack), and a transient spent a third of its
# time in them. KINSOL and CVODE still come from Debian; they reach the
# vectors through each vector's table of operations.
LIBS := -L/usr/lib/x86_64-linux-gnu/hdf5/openmpi \
        -lsundials_cvode -lsundials_kinsol -lsundials_generic \
        -lHYPRE -lhdf5 -lplplot -lyaml -ljansson -lgomp -lm

BUILD ?= build
LIB_SRCS := $(wildcard materials/*.c) $(wildcard cases/*.c) $(wildcard geometry/*.c) \
            $(wildcard solver/*.c) $(wildcard solver/*/*.c) $(wildcard output/out_*.c) \
            $(wildcard third_party/sundials/nvector_*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
TEST_SRCS := $(wildcard tests/*.c)
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/%.o)
DEPS_STAMP := $(BUILD)/.deps-ok

.PHONY: all run run-cs4 test asan valgrind bench bench-large bench-mpi verify fuzz clean deps install

all: ebsim

# --- Debian packages -------------------------------------------------------
deps: $(DEPS_STAMP)
$(DEPS_STAMP):
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "ebsim: installing missing Debian packages:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) || \
	      { echo "ebsim: apt-get failed; run: apt-get install -y$$missing"; exit 1; }; \
	  else \
	    echo "ebsim: missing Debian packages. Run:"; \
	    echo "  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
	@mkdir -p $(BUILD) && touch $@

# --- build -------------------------------------------------------------------
$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

# SUNDIALS' vector source as released (no -std: it is C99 with OpenMP)
$(BUILD)/third_party/sundials/%.o: third_party/sundials/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(OPT) -g -fopenmp $(WARN) -Wno-unused-parameter $(INCS) $(EXTRA_CFLAGS) -MMD -MP -c $< -o $@

# rebuilt from scratch: a deleted source must not leave its object behind
$(BUILD)/libebsim.a: $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

ebsim: $(BUILD)/ebsim.o $(BUILD)/libebsim.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LIBS)

$(BUILD)/test_ebsim: $(TEST_OBJS) $(BUILD)/libebsim.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LIBS) -lcriterion

-include $(LIB_OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(BUILD)/ebsim.d

# --- the two commands --------------------------------------------------------
run: ebsim
	./ebsim run cases/cs3.yaml --report

# CS-4 study on a 1 mm lateral grid (0.8 M cells; the default 0.5 mm grid
# changes the answers by a few hundredths of a kelvin, see make verify):
# power x flow sweep, the inlet envelope, and the least flow per power.
# The sweep shares its points among worker processes; the envelope shares
# its power rows among MPI ranks (--ranks-per-point 1: the same answers,
# 63 s against 84 s with each solve split over both ranks; plain ./ebsim
# when mpirun is missing); the four least-flow searches run side by side,
# one process each.
CS4_GRID := --set grid.dx_mm=1
# The coolant studies (envelope, least flow) check the limits that move with
# the coolant: the thermal ones and the mechanics' (connector strain, stress
# and slip follow the temperatures); the power path's electrical limits do
# not move with the coolant. Each search's log keeps ebsim's lines (stderr
# too: a power no flow can serve says why) and shows the first two.
CS4_THERMAL := --set limits.psu_load_max_kw= --set limits.brick_load_max= \
               --set limits.die_voltage_min_v=
NPROC := $(shell nproc 2>/dev/null || echo 1)
MPIRUN := $(if $(shell command -v mpirun),OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun -n $(NPROC))
run-cs4: ebsim
	./ebsim sweep cases/cs4.yaml $(CS4_GRID) --out out/cs4-sweep --report
	./ebsim limits cases/cs4.yaml $(CS4_GRID) --set power.die_model=electrical \
	  --set power.total_kw=25 --find power.clock --max --out out/cs4-clock --no-figures \
	  >out/cs4-clock.log; rc=$$?; head -2 out/cs4-clock.log; [ $$rc -eq 0 ] || [ $$rc -eq 3 ] || exit 1
	$(MPIRUN) ./ebsim envelope cases/cs4.yaml $(CS4_GRID) $(CS4_THERMAL) --power-kw 25,30,35,40 \
	  $(if $(MPIRUN),--ranks-per-point 1) --out out/cs4-envelope --report
	@mkdir -p out/cs4-limits; printf '%s\n' 25 30 35 40 | xargs -P $(NPROC) -I{} sh -c \
	  './ebsim limits cases/cs4.yaml $(CS4_GRID) $(CS4_THERMAL) --set power.total_kw={} \
	    --find coolant.flow_lpm --min --out out/cs4-limits/flow-min-{}-kw --no-figures \
	    >out/cs4-limits/flow-min-{}-kw.log 2>&1; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 3 ]' || { \
	  cat out/cs4-limits/*.log; exit 1; }
	@for p in 25 30 35 40; do grep -m2 -E '^(ebsim|  )' out/cs4-limits/flow-min-$$p-kw.log; done

# Tests run the ebsim binary too (bad-input exit codes), so build it first.
# Criterion runs the tests in parallel on the machine's cores.
test: ebsim $(BUILD)/test_ebsim
	EBSIM_BIN=$(CURDIR)/ebsim $(BUILD)/test_ebsim --jobs 2

# Sanitizer build in its own tree. Open MPI's own allocations are not ours:
# leak detection is off; address and undefined-behaviour checks stay on.
asan:
	$(MAKE) BUILD=build-asan OPT="-O1" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  build-asan/test_ebsim ebsim-asan
	ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  EBSIM_BIN=$(CURDIR)/ebsim-asan build-asan/test_ebsim --jobs 2

ebsim-asan: $(BUILD)/ebsim.o $(BUILD)/libebsim.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LIBS)

# Library-owned allocations (Open MPI, fontconfig, pango) are suppressed in
# tests/valgrind.supp; a definite leak or memory error of ours fails the
# target (indirect leaks hang off the suppressed library blocks).
# hwloc's note that its x86 backend is off under valgrind is harmless.
VALGRIND := valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
            --error-exitcode=9 --suppressions=tests/valgrind.supp
valgrind: ebsim
	$(VALGRIND) ./ebsim check cases/cs3.yaml --set grid.dx_mm=8 >/dev/null
	$(VALGRIND) ./ebsim run cases/cs3-hotspots.yaml --set grid.dx_mm=8 --out $(BUILD)/valgrind-out --quiet >/dev/null
	$(VALGRIND) ./ebsim plot $(BUILD)/valgrind-out --figures svg --out $(BUILD)/valgrind-plot >/dev/null
	$(VALGRIND) ./ebsim run cases/cs3.yaml --set grid.dx_mm=8 --set power.die_model=electrical \
	  --set power_delivery.psu.failed=1 --out $(BUILD)/valgrind-power --quiet >/dev/null
	$(VALGRIND) ./ebsim plot $(BUILD)/valgrind-power --figures svg --out $(BUILD)/valgrind-power-plot >/dev/null
	$(VALGRIND) ./ebsim run cases/cs3.yaml --set coolant.flow_lpm=-1 >/dev/null 2>&1; test $$? -eq 2
	$(VALGRIND) ./ebsim transient cases/cs3.yaml --scenario pump-trip --set grid.dx_mm=8 --until 12 \
	  --out $(BUILD)/valgrind-transient --quiet >/dev/null
	@echo "valgrind: clean"

bench: ebsim $(BUILD)/bench_floor
	bash bench/run.sh

# the same with a fourth grid, 0.12 mm cells (52 M cells, about 12 GB)
bench-large: ebsim $(BUILD)/bench_floor
	BENCH_LARGE=1 bash bench/run.sh

# ebsim under mpirun (issue 16): memory per rank and solve time on 1, 2
# and 4 ranks at 12 M cells, a 64-point sweep on rank groups against the
# local pool (bench/mpi.sh, about 5 min on 2 cores)
bench-mpi: ebsim $(BUILD)/bench_floor
	bash bench/mpi.sh

$(BUILD)/bench_floor: bench/floor.c | $(DEPS_STAMP)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LIBS)

# grid convergence and ParaView (bench/verify.sh), then the faults: a full
# disk, kill -9 during output and a sweep, two runs into one directory
# (bench/faults.sh; the full disk needs a mount namespace: root or user
# namespaces, else it says so and skips), then report.html in headless
# Chromium (bench/report_check.sh; chromium from Debian, verify only), then
# the OpenFOAM reference of one channel pitch regenerated into
# tests/reference/data (bench/cfd_reference.sh: six laminar conjugate runs,
# about an hour on 2 cores; openfoam from Debian, verify only).
VERIFY_PKGS := chromium python3 openfoam
$(BUILD)/.verify-deps-ok:
	@$(MAKE) --no-print-directory deps BUILD=$(BUILD)/verify-deps DEB_PKGS="$(VERIFY_PKGS)"
	@touch $@

verify: ebsim $(BUILD)/.verify-deps-ok
	bash bench/verify.sh
	bash bench/faults.sh
	bash bench/report_check.sh
	bash bench/cfd_reference.sh

# libFuzzer on the case reader and the --set parser (tests/fuzz/README.md).
# Its own Debian packages (clang and its runtime, which holds libFuzzer),
# checked by the deps rule above into its own stamp, so that the other
# targets never need clang. It builds only what the reader links against
# (cases/, materials/, libyaml: no MPI, hypre or HDF5), runs on a copy of
# tests/fuzz/corpus, the shipped cases as they are now and tests/fuzz/crashes
# (inputs that once failed) in build-fuzz/corpus (new inputs stay there)
# for FUZZ_SECONDS, and fails with the path of the input that crashed,
# leaked or hung.
FUZZ_PKGS := clang libclang-rt-dev libyaml-dev
FUZZ_CC := clang
FUZZ_BUILD := build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS = $(CSTD) -O1 -g $(WARN) -I. $(FUZZ_SAN) \
              -DFUZZ_BASE_CASE=\"$(CURDIR)/cases/cs3.yaml\"
FUZZ_SRCS := $(wildcard cases/*.c) $(wildcard materials/*.c) tests/fuzz/fuzz_case.c
FUZZ_OBJS := $(FUZZ_SRCS:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_FLAGS := -dict=$(FUZZ_BUILD)/case.dict -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
              -artifact_prefix=$(FUZZ_BUILD)/ -print_final_stats=1

$(FUZZ_BUILD)/.fuzz-deps-ok:
	@$(MAKE) --no-print-directory deps BUILD=$(FUZZ_BUILD) DEB_PKGS="$(FUZZ_PKGS)"
	@touch $@

$(FUZZ_BUILD)/%.o: %.c | $(FUZZ_BUILD)/.fuzz-deps-ok
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/fuzz_case: $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ -lyaml -lm

-include $(FUZZ_OBJS:.o=.d)

# the dictionary, plus any key the schema gained since it was written
$(FUZZ_BUILD)/case.dict: tests/fuzz/case.dict cases/case_schema.c
	@mkdir -p $(dir $@)
	@{ cat tests/fuzz/case.dict; grep -oE '\.key = "[^"]+"' cases/case_schema.c | \
	   sed -E 's/.*"([^"]+)"/key_\1="\1"/' | sort -u | grep -vxF -f tests/fuzz/case.dict || true; } >$@

fuzz: $(FUZZ_BUILD)/fuzz_case $(FUZZ_BUILD)/case.dict
	@mkdir -p $(FUZZ_BUILD)/corpus && \
	  cp tests/fuzz/corpus/* $(wildcard tests/fuzz/crashes/*) $(FUZZ_BUILD)/corpus/ && \
	  for f in cases/*.yaml; do cp $$f $(FUZZ_BUILD)/corpus/now-$${f#cases/}; done
	@echo "fuzz: $(FUZZ_SECONDS) s on $(FUZZ_BUILD)/corpus (log: $(FUZZ_BUILD)/fuzz.log)"
	@{ UBSAN_OPTIONS=print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
	    $(FUZZ_BUILD)/fuzz_case $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_BUILD)/corpus; \
	    echo $$? >$(FUZZ_BUILD)/fuzz.rc; } 2>&1 | tee $(FUZZ_BUILD)/fuzz.log | \
	  grep -a --line-buffered -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE)[[:space:]]|# Uses: [0-9]+$$'; \
	rc=$$(cat $(FUZZ_BUILD)/fuzz.rc); \
	if [ "$$rc" != 0 ]; then \
	  unit=$$(sed -n 's/.*Test unit written to //p' $(FUZZ_BUILD)/fuzz.log | tail -1); \
	  echo "fuzz: FAILED (exit $$rc); the input: $${unit:-none written, see $(FUZZ_BUILD)/fuzz.log}"; \
	  [ -z "$$unit" ] || echo "fuzz: reproduce with: $(FUZZ_BUILD)/fuzz_case $$unit"; \
	  for f in $(wildcard tests/fuzz/crashes/*); do \
	    [ -z "$$unit" ] || ! cmp -s "$$f" "$$unit" || echo "fuzz: it is $$f, not fixed yet"; done; \
	  exit 1; \
	fi

install: ebsim
	install -m 755 ebsim /usr/local/bin/ebsim

clean:
	rm -rf build build-asan build-fuzz ebsim ebsim-asan out
