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
 * @param givenWeight the integer weights of a QDQ model's DequantizeLinear ({@code weight} then holds
 *                    their float values), or null when the weight is quantized by the transform
 * @param givenInput  the QuantizeLinear/DequantizeLinear pair {@code input} comes from in a QDQ model,
 *                    or null when the input scale is calibrated
 */
public record MappedLayer(Node node, LayerKind kind, Value input, Tensor weight, float[] bias, float alpha,
                          int groups, int k, int n, int kernelArea, QdqWeight givenWeight, QdqInput givenInput) {
    /** A layer of a float model: weights and input scale are the transform's to choose. */
    public MappedLayer(Node node, LayerKind kind, Value input, Tensor weight, float[] bias, float alpha,
                       int groups, int k, int n, int kernelArea) {
        this(node, kind, input, weight, bias, alpha, groups, k, n, kernelArea, null, null);
    }

    public String name() {
        return node.name().isEmpty() ? node.output(0).name() : node.name();
    }

    /** This layer with the given QDQ weight and input (either may be null). */
    public MappedLayer withQdq(QdqWeight weight, QdqInput in) {
        return new MappedLayer(node, kind, input, this.weight, bias, alpha, groups, k, n, kernelArea, weight, in);
    }

    /** Output channels per group. */
    public int nPerGroup() {
        return n / groups;
    }
}
