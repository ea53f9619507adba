#!/usr/bin/env bash
# Builds libcimqonebit.so (the fused CIM kernel's AVX-512 inner loop, cimq_onebit.c) into the
# classes folder given as $1, with the JNI headers of the JDK at $2. Off linux-x86_64, or without
# gcc, it says so and builds nothing: the Java loop runs then and CimNative.status() says why.
set -euo pipefail
out=$1
jdk=$2
src="$(cd "$(dirname "$0")" && pwd)/cimq_onebit.c"
if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "cimq native kernel: not built (only for linux-x86_64); the Java loop will run"
  exit 0
fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "cimq native kernel: not built (no gcc: apt-get install gcc libc6-dev); the Java loop will run"
  exit 0
fi
mkdir -p "$out"
lib="$out/libcimqonebit.so"
if [[ -f "$lib" && "$lib" -nt "$src" && "$lib" -nt "$0" ]]; then
  exit 0
fi
gcc -O2 -fPIC -shared -ffp-contract=off -Wall -I"$jdk/include" -I"$jdk/include/linux" -o "$lib.tmp" "$src"
mv "$lib.tmp" "$lib"
echo "cimq native kernel: built $lib"
