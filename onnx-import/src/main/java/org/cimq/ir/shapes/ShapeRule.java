package org.cimq.ir.shapes;

import org.cimq.ir.Node;
import org.cimq.ir.TensorType;

/**
 * Infers the output types of one operator. A rule returns one entry per node output (an
 * entry, or the whole array, may be null where nothing can be said) and must be sound: a
 * dimension it cannot derive is {@link org.cimq.ir.Dim#UNKNOWN}, a rank it cannot derive is
 * a type with {@code dims == null}.
 */
@FunctionalInterface
public interface ShapeRule {
    TensorType[] infer(Node node, InferenceContext ctx);
}
