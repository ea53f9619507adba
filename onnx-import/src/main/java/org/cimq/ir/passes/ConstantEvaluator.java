package org.cimq.ir.passes;

import org.cimq.ir.Node;
import org.cimq.ir.Tensor;

/** Computes a node's outputs from constant inputs (implemented by the runtime's kernels). */
@FunctionalInterface
public interface ConstantEvaluator {
    /**
     * Evaluates {@code node} at {@code opset} on {@code inputs} (null for absent optional
     * inputs); returns one tensor per output, or null when the node cannot be evaluated here.
     */
    Tensor[] evaluate(Node node, int opset, Tensor[] inputs);
}
