package org.cimq.runtime.cim;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code CimShiftAdd}: the digital accumulation of one layer. Inputs: the (ADC-quantized)
 * partial sums of each array t, shaped [P, J, ...y]. Output, shaped y:
 * {@code Σ_t Σ_j Σ_p (slice_weights[j] · plane_weights[p]) · q_t[p, j]}, accumulated term by term in
 * that order (arrays, slices, planes, each ascending) into one float32 sum per output element
 * (BLAS axpy, so a fused multiply-add where the CPU has one). Exact whenever the terms are
 * integers below 2^24 (no ADC, or integer steps). With
 * {@code reference_column = 1} the channels along {@code channel_axis} (of y) come in
 * {@code groups} blocks, each ending with its group's reference column: the reference is
 * subtracted from the block's other channels and dropped.
 */
final class ShiftAddKernel implements Kernel {
    private final Node node;
    private final float[] planeWeights;
    private final float[] sliceWeights;
    private final boolean reference;
    private final int channelAxis;
    private final int groups;

    ShiftAddKernel(Node node, int opset) {
        this.node = node;
        this.planeWeights = node.attrFloats("plane_weights", null);
        this.sliceWeights = node.attrFloats("slice_weights", null);
        if (planeWeights == null || sliceWeights == null || planeWeights.length == 0 || sliceWeights.length == 0) {
            throw new KernelException(node.describe() + ": attributes plane_weights and slice_weights are required");
        }
        this.reference = node.attrInt("reference_column", 0) != 0;
        this.channelAxis = (int) node.attrInt("channel_axis", 1);
        this.groups = (int) node.attrInt("groups", 1);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray acc = null;
        for (INDArray q : inputs) {
            if (q.size(0) != planeWeights.length || q.size(1) != sliceWeights.length) {
                throw new KernelException(node.describe() + ": partial sums of shape " + java.util.Arrays.toString(q.shape())
                        + " do not match " + planeWeights.length + " planes and " + sliceWeights.length + " slices");
            }
            INDArray dense = q.ordering() == 'c' && !q.isView() ? q : q.dup('c');
            long[] yShape = java.util.Arrays.copyOfRange(q.shape(), 2, q.rank());
            if (acc == null) {
                acc = Nd4j.zeros(DataType.FLOAT, yShape);
            }
            long n = acc.length();
            for (int j = 0; j < sliceWeights.length; j++) {
                for (int p = 0; p < planeWeights.length; p++) {
                    INDArray term = dense.get(NDArrayIndex.point(p), NDArrayIndex.point(j)).reshape(n);
                    Nd4j.getBlasWrapper().level1().axpy(n, (double) sliceWeights[j] * planeWeights[p], term, acc.reshape(n));
                }
            }
        }
        return new INDArray[] {reference ? subtractReference(acc) : acc};
    }

    private INDArray subtractReference(INDArray acc) {
        long block = acc.size(channelAxis) / groups;
        INDArray[] parts = new INDArray[groups];
        for (int g = 0; g < groups; g++) {
            long start = g * block;
            INDArray ref = acc.get(axisRange(acc.rank(), start + block - 1, start + block)).dup('c');
            INDArray main = acc.get(axisRange(acc.rank(), start, start + block - 1)).dup('c');
            parts[g] = main.subi(ref.broadcast(main.shape()));
        }
        return groups == 1 ? parts[0] : org.nd4j.linalg.factory.Nd4j.concat(channelAxis, parts);
    }

    private org.nd4j.linalg.indexing.INDArrayIndex[] axisRange(int rank, long from, long to) {
        org.nd4j.linalg.indexing.INDArrayIndex[] idx = new org.nd4j.linalg.indexing.INDArrayIndex[rank];
        for (int d = 0; d < rank; d++) {
            idx[d] = d == channelAxis ? org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)
                    : org.nd4j.linalg.indexing.NDArrayIndex.all();
        }
        return idx;
    }
}
