#!/usr/bin/env bash
# Installs the Debian packages cimq's tests and quick start use (idempotent; needs root or sudo):
#   libonnx-testdata       ONNX's own backend test suite (conformance tests)
#   dataset-fashion-mnist  Fashion-MNIST in idx format (quick start, tests)
#   python3-onnx           onnx.checker for export tests
#   fontconfig, fonts-dejavu-core  a font for the report's charts (JFreeChart measures text, even headless)
#   gcc, libc6-dev         to build the fused kernel's AVX-512 loop (runtime/src/main/c) into the jar
#   python3-torch          only to regenerate models/ (see models/README.md); skipped with CIMQ_NO_TORCH=1
set -euo pipefail
pkgs=(libonnx-testdata dataset-fashion-mnist python3-onnx fontconfig fonts-dejavu-core gcc libc6-dev)
[ "${CIMQ_NO_TORCH:-0}" = 1 ] || pkgs+=(python3-torch)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "cimq: installing ${missing[*]}" >&2
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
