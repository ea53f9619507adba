#!/bin/sh
# Makes resnet20_cifar10_cim_l3.onnx and its ranges file: ResNet-20 (../shared/models/resnet20_cifar10.onnx)
# retrained for CIM-SPEC's defaults (R = 128, W4A4, c = d = 1) with a 3-level ADC, one step for the whole network
# found by the data-driven accuracy search, input scales at the 99th activation percentile, both held through
# retraining, and the float model as teacher. Four epochs from the float model, six more from that model on a new
# cosine schedule, then two, six, six, six and six more at lr 0.01 with gradients clipped to norm 1 (each a new cosine schedule;
# plain SGD diverges at that rate with batch norm folded) — 36 epochs, about 7 minutes per 50,000-image epoch on 2 cores
# when nothing else runs.
# Usage, from the repository root after `mvn install -DskipTests`:  sh models/retrain_resnet20_l3.sh [WORK_DIR]
set -e
CIMQ="java -jar tools/target/cimq.jar"
FLOAT=../shared/models/resnet20_cifar10.onnx
DATA=../shared/datasets/cifar10
W=${1:-/tmp/cimq-resnet20-l3}
mkdir -p "$W"
$CIMQ calibrate $FLOAT --cim -L 3 --method acc-network --search-images 500 --calib-images 500 \
  --activation-percentile 99 --dataset cifar10 --data $DATA -o "$W/accn_99.json"
$CIMQ retrain $FLOAT --cim -L 3 --granularity network --activation-percentile 99 --ranges "$W/accn_99.json" \
  --calib-images 500 --dataset cifar10 --data $DATA --epochs 4 --lr 0.003 --hold-quantizer --teacher $FLOAT \
  --test-each-epoch --checkpoint-dir "$W/ck4" -o "$W/r3_99.onnx" --json "$W/r3_99.json"
$CIMQ retrain "$W/r3_99.onnx" --cim -L 3 --granularity network --activation-percentile 99 \
  --ranges "$W/r3_99.ranges.json" --dataset cifar10 --data $DATA --epochs 6 --lr 0.002 --hold-quantizer \
  --teacher $FLOAT --test-each-epoch --checkpoint-dir "$W/ck6" --seed 1 -o "$W/c6.onnx" --json "$W/c6.json"
$CIMQ retrain "$W/c6.onnx" --cim -L 3 --activation-percentile 99 --ranges "$W/c6.ranges.json" --dataset cifar10 \
  --data $DATA --epochs 2 --lr 0.01 --clip-grad-norm 1 --hold-quantizer --teacher $FLOAT --test-each-epoch \
  --checkpoint-dir "$W/ck2" --seed 2 -o "$W/h2.onnx" --json "$W/h2.json"
$CIMQ retrain "$W/h2.onnx" --cim -L 3 --activation-percentile 99 --ranges "$W/h2.ranges.json" --dataset cifar10 \
  --data $DATA --epochs 6 --lr 0.01 --clip-grad-norm 1 --hold-quantizer --teacher $FLOAT --test-each-epoch \
  --checkpoint-dir "$W/ck6b" --seed 3 -o "$W/l6.onnx" --json "$W/l6.json"
$CIMQ retrain "$W/l6.onnx" --cim -L 3 --activation-percentile 99 --ranges "$W/l6.ranges.json" --dataset cifar10 \
  --data $DATA --epochs 6 --lr 0.01 --clip-grad-norm 1 --hold-quantizer --teacher $FLOAT --test-each-epoch \
  --checkpoint-dir "$W/ck6c" --seed 4 -o "$W/m6.onnx" --json "$W/m6.json"
$CIMQ retrain "$W/m6.onnx" --cim -L 3 --activation-percentile 99 --ranges "$W/m6.ranges.json" --dataset cifar10 \
  --data $DATA --epochs 6 --lr 0.01 --clip-grad-norm 1 --hold-quantizer --teacher $FLOAT --test-each-epoch \
  --checkpoint-dir "$W/ck6d" --seed 5 -o "$W/n6.onnx" --json "$W/n6.json"
$CIMQ retrain "$W/n6.onnx" --cim -L 3 --activation-percentile 99 --ranges "$W/n6.ranges.json" --dataset cifar10 \
  --data $DATA --epochs 6 --lr 0.01 --clip-grad-norm 1 --hold-quantizer --teacher $FLOAT --test-each-epoch \
  --checkpoint-dir "$W/ck6e" --seed 6 -o "$W/o6.onnx" --json "$W/o6.json"
echo "model: $W/o6.onnx, ranges: $W/o6.ranges.json"
