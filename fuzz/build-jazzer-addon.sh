#!/usr/bin/env bash
# Builds Jazzer.js's native libFuzzer addon for hosts where its npm prebuilt does not load (it needs glibc >= 2.38;
# Debian 12 has 2.36). Jazzer.js builds it against its own patched libFuzzer, downloaded from GitHub; this links
# Debian's stock one (apt-get install libclang-rt-14-dev) with three small shims instead (below). The result goes to
# fuzz/.work/jazzer/, which fuzz/jazzer-addon.cjs makes Jazzer load. Needs g++, Node's headers (/usr/include/node)
# and the Jazzer.js sources at the installed version:
#   git clone --depth 1 --branch v4.0.0 https://github.com/CodeIntelligenceTesting/jazzer.js /tmp/jazzer.js
#   JAZZER_SRC=/tmp/jazzer.js fuzz/build-jazzer-addon.sh
# What differs from upstream's build: its libFuzzer fork takes an explicit id for comparison tracing (…_with_pc) and
# names its death callback differently; stock libFuzzer's value profile (off by default) then keys on the shim's
# address rather than the comparison's id, and a JS exception thrown out of the target would not stop the run
# (fuzz/jazzer-entry.ts records findings itself and never throws, so it does not depend on that).
set -euo pipefail
cd "$(dirname "$0")/.."
src="${JAZZER_SRC:?set JAZZER_SRC to a jazzer.js checkout at the installed version}/packages/fuzzer"
want=$(node -p "require('@jazzer.js/fuzzer/package.json').version")
have=$(node -p "require('$src/package.json').version")
[ "$want" = "$have" ] || { echo "JAZZER_SRC is jazzer.js $have, node_modules has $want" >&2; exit 2; }
libfuzzer=$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a 2>/dev/null | sort -V | tail -1)
[ -n "$libfuzzer" ] || { echo "no libclang_rt.fuzzer_no_main: apt-get install libclang-rt-14-dev" >&2; exit 2; }
napi=$(node -p "require('node-addon-api').include_dir" 2>/dev/null \
  || node -p "require.resolve('node-addon-api/napi.h').replace(/napi.h$/, '')")
out=fuzz/.work/jazzer
mkdir -p "$out/include/fuzzer"
cat > "$out/include/fuzzer/FuzzerDefs.h" <<'EOF'
// What Jazzer.js uses of compiler-rt's fuzzer/FuzzerDefs.h.
#pragma once
#include <cstddef>
#include <cstdint>
namespace fuzzer {
typedef int (*UserCallback)(const uint8_t *Data, size_t Size);
int FuzzerDriver(int *argc, char ***argv, UserCallback Callback);
}
EOF
cat > "$out/shims.cpp" <<'EOF'
// Jazzer.js's patched-libFuzzer entry points, on stock libFuzzer.
#include <cstddef>
#include <cstdint>
namespace libfuzzer { extern void (*PrintCrashingInput)(); }
extern "C" {
void __sanitizer_cov_trace_const_cmp8(uint64_t a, uint64_t b);
void __sanitizer_cov_trace_pc_indir(uintptr_t callee);
void __sanitizer_cov_trace_const_cmp8_with_pc(uintptr_t, uint64_t a, uint64_t b) { __sanitizer_cov_trace_const_cmp8(a, b); }
void __sanitizer_cov_trace_pc_indir_with_pc(void *, uintptr_t callee) { __sanitizer_cov_trace_pc_indir(callee); }
void __sanitizer_set_death_callback(void (*callback)()) { libfuzzer::PrintCrashingInput = callback; }
}
EOF
g++ -std=c++17 -O2 -fPIC -shared -DNAPI_VERSION=4 -DNAPI_CPP_EXCEPTIONS -w \
  -I/usr/include/node -I"$napi" -I"$out/include" \
  "$src"/*.cpp "$src"/shared/*.cpp "$out/shims.cpp" \
  -Wl,--whole-archive "$libfuzzer" -Wl,--no-whole-archive \
  -o "$out/fuzzer-$(node -p 'process.platform')-$(node -p 'process.arch').node"
node --require ./fuzz/jazzer-addon.cjs -e "require('@jazzer.js/fuzzer'); console.log('Jazzer.js addon built and loads: $out')"
