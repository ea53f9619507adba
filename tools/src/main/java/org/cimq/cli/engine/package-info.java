/** Inference engines behind {@code eval} and {@code bench}: ONNX Runtime (the float reference) and cimq's own executor. */
package org.cimq.cli.engine;
