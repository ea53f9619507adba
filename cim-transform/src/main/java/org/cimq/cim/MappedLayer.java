package org.cimq.cim;

import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;

/**
 * A Conv, Gemm or MatMul with a constant weight, seen as the matrix it puts on arrays.
 *
 * @param node     the layer's node
 * @param kind     its op
 * @param input    the activation it reads
 * @param weight   float weights, [N, Cin/group, k...] for Conv, [K, N] for Gemm (transB applied)
 *                 and MatMul
 * @param bias     per-output-channel bias [N] (Gemm's beta·C folded in), or null
 * @param alpha    Gemm's alpha (1 otherwise), applied with the output scale
 * @param groups   Conv's group count (1 otherwise)
 * @param k        rows per group of the im2col matrix: Cin/group·kh·kw, or K
 * @param n        output channels N
 * @param kernelArea kh·kw (1 for Gemm and MatMul)
 */
public record MappedLayer(Node node, LayerKind kind, Value input, Tensor weight, float[] bias, float alpha,
                          int groups, int k, int n, int kernelArea) {
    public String name() {
        return node.name().isEmpty() ? node.output(0).name() : node.name();
    }

    /** Output channels per group. */
    public int nPerGroup() {
        return n / groups;
    }
}
