#!/usr/bin/env bash
# Set-up and main job on a fresh machine: installs the Debian packages cimq uses, builds the
# command-line jar, then evaluates the Fashion-MNIST CNN in models/ on all 10,000 test images
# with cimq's runtime and with ONNX Runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
mvn -B -q -ntp -DskipTests package
cimq() { java -jar tools/target/cimq.jar "$@"; }
cimq inspect models/fashion_mnist_cnn.onnx
cimq eval models/fashion_mnist_cnn.onnx --dataset fashion-mnist --engine cimq
cimq eval models/fashion_mnist_cnn.onnx --dataset fashion-mnist --engine ort
