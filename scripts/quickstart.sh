#!/usr/bin/env bash
# Set-up and main job on a fresh machine: installs the Debian packages cimq uses, builds the
# command-line jar, then runs the whole flow on the Fashion-MNIST CNN in models/:
#   the tile plan of the CIM mapping (R = 128, W4A4, c = d = 1),
#   a sweep over ADC levels L in {2,3,4,5,8,16} with layer-wise (mse) and network-wise
#   (mse-network) ranges and the minmax baseline, calibrated on 500 training images and scored on
#   2,000 test images (plus float and L = 0),
#   written with an HTML report at L = 3 (the histograms with mse's steps, the accuracy curves, the
#   cost table) by the same command,
#   the mse ranges at L = 3 and the CIM model written as ONNX for ONNX Runtime,
#   and the hardware cost at each L.
# Outputs go to quickstart-out/ (sweep.json, ranges/, report.html, ranges-L3.json, fashion-cim-L3.onnx).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
mvn -B -q -ntp -DskipTests package
cimq() { java -jar tools/target/cimq.jar "$@"; }
out=quickstart-out
mkdir -p "$out"
model=models/fashion_mnist_cnn.onnx
data=(--dataset fashion-mnist --calib-images 500)
cimq inspect "$model" --cim
# the sweep also writes the report (L = 3): $out/sweep.json, $out/ranges/METHOD-L<L>.json, $out/report.html
cimq sweep "$model" --cim "${data[@]}" --levels 2,3,4,5,8,16 --methods minmax,mse-network,mse --limit 2000 \
  --report "$out"
cimq calibrate "$model" --cim -L 3 --method mse "${data[@]}" -o "$out/ranges-L3.json"
cimq export "$model" --cim -L 3 --ranges "$out/ranges-L3.json" "${data[@]}" -o "$out/fashion-cim-L3.onnx"
cimq cost "$model" --cim -L 3 --levels 2,3,4,5,8,16
echo "cimq quick start: report in $out/report.html"
