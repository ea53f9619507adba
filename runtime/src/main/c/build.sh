#!/usr/bin/env bash
# Builds cimq's native kernels into the classes folder given as $1, with the JNI headers of the JDK
# at $2: libcimqonebit.so (the fused CIM kernel's AVX-512 inner loop, cimq_onebit.c),
# libcimqconv.so (the float convolution, cimq_conv.c), libcimqcopy.so (strided float copies,
# cimq_copy.c) and libcimqenv.so (OMP_WAIT_POLICY set before ND4J loads, cimq_env.c). Off
# linux-x86_64, or without gcc, it says so and builds nothing: the Java loop and ND4J's convolution
# and copies run then, and CimNative.status() and FloatConvNative.status() say why.
set -euo pipefail
out=$1
jdk=$2
dir="$(cd "$(dirname "$0")" && pwd)"
if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "cimq native kernels: not built (only for linux-x86_64); the Java loop and ND4J's convolution will run"
  exit 0
fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "cimq native kernels: not built (no gcc: apt-get install gcc libc6-dev); the Java loop and ND4J's convolution will run"
  exit 0
fi
mkdir -p "$out"
build() { # source, library, optimisation flags
  local src="$dir/$1" lib="$out/$2"
  if [[ -f "$lib" && "$lib" -nt "$src" && "$lib" -nt "$0" ]]; then
    return
  fi
  gcc "$3" -fPIC -shared -ffp-contract=off -Wall -I"$jdk/include" -I"$jdk/include/linux" -o "$lib.tmp" "$src"
  mv "$lib.tmp" "$lib"
  echo "cimq native kernel: built $lib"
}
build cimq_onebit.c libcimqonebit.so -O2
# -O3: the convolution's register block relies on full unrolling
build cimq_conv.c libcimqconv.so -O3
build cimq_copy.c libcimqcopy.so -O3
build cimq_env.c libcimqenv.so -O2
