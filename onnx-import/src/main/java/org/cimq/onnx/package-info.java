/**
 * Reading and writing ONNX files with cimq's own protobuf schema ({@code cimq_onnx.proto}):
 * {@link org.cimq.onnx.OnnxImporter} turns a file into the IR, {@link org.cimq.onnx.OnnxWriter}
 * writes the IR back, keeping fields cimq does not model.
 */
package org.cimq.onnx;
