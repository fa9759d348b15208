#!/usr/bin/env bash
# Builds the fuzz targets and runs each one for a while; exits non-zero, loudly, if any
# target panics, hangs or runs out of memory.
#
# Usage: fuzz/smoke.sh                      every target, 20 seconds each
#        FUZZ_SECONDS=600 fuzz/smoke.sh     longer runs
#        FUZZ_TARGETS="note proof" fuzz/smoke.sh
#        FUZZ_CODEGEN_UNITS=1 fuzz/smoke.sh  cargo fuzz's own setting: a slower build, faster runs
#
# Inputs the fuzzer finds go to fuzz/work/<target>/ (ignored by git); the committed seeds in
# fuzz/corpus/<target>/ are read, never written. A crash input is saved under
# fuzz/artifacts/<target>/ and its name is printed.
#
# Toolchain: cargo fuzz runs on nightly when rustup has it. Without a sanitizer (`-s none`,
# used here) the build needs no nightly-only flag, so a stable toolchain works too; where a
# stable rustc refuses one anyway, RUSTC_BOOTSTRAP=1 lets it through.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${FUZZ_SECONDS:-20}"
read -r -a targets <<<"${FUZZ_TARGETS:-export canonical schema note proof rules model api}"

if ! command -v cargo-fuzz >/dev/null; then
    echo "smoke: cargo-fuzz is not installed (cargo install cargo-fuzz)" >&2
    exit 2
fi
toolchain=()
if rustup run nightly rustc --version >/dev/null 2>&1; then
    toolchain=(+nightly)
else
    export RUSTC_BOOTSTRAP=1
fi

# The project's code forbids `unsafe`, so AddressSanitizer would only slow the search down;
# panics, integer overflow (debug assertions are on) and hangs are what the targets look for.
fuzz=(cargo "${toolchain[@]}" fuzz)
# Sixteen codegen units build in about two thirds of the time of cargo fuzz's one, which is
# what a short run needs; the runs and the build share the setting, so both get it.
codegen_units="${FUZZ_CODEGEN_UNITS:-16}"
build_start=$SECONDS
"${fuzz[@]}" build -s none --codegen-units "$codegen_units"
echo "smoke: built the targets in $((SECONDS - build_start)) s"

failed=()
for target in "${targets[@]}"; do
    mkdir -p "work/$target"
    log="work/$target.log"
    echo "smoke: fuzzing $target for $seconds s"
    if "${fuzz[@]}" run -s none --codegen-units "$codegen_units" \
        "$target" "work/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
        corpus=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || true)
        echo "smoke: $target ok: ${runs:-?} executions, corpus of ${corpus:-?} inputs"
    else
        echo "smoke: $target FAILED; the end of $log:" >&2
        tail -n 40 "$log" >&2
        failed+=("$target")
    fi
done

if ((${#failed[@]} > 0)); then
    echo "smoke: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "smoke: every target ran clean in $SECONDS s"
