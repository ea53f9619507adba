/**
 * cimq's intermediate representation of an ONNX model: {@link org.cimq.ir.Model},
 * {@link org.cimq.ir.Graph}, {@link org.cimq.ir.Node}, {@link org.cimq.ir.Value} (with its
 * users), {@link org.cimq.ir.Tensor} and typed attributes ({@link org.cimq.ir.Attr}).
 * Passes rewrite it in place; the verifier checks its invariants.
 */
package org.cimq.ir;
