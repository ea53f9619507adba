package org.cimq.runtime.cim;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code CimShiftAdd}: the digital accumulation of one layer. Inputs: the (ADC-quantized)
 * partial sums of each array t, shaped [P, J, ...y]. Output, shaped y:
 * {@code Σ_t Σ_j slice_weights[j] · Σ_p plane_weights[p] · q_t[p, j]}, summed in that order
 * (planes, then slices, then arrays, each ascending) in float32. With
 * {@code reference_column = 1} the last channel along {@code channel_axis} (of y) is each array's
 * reference column: it is subtracted from every other channel and dropped.
 */
final class ShiftAddKernel implements Kernel {
    private final Node node;
    private final float[] planeWeights;
    private final float[] sliceWeights;
    private final boolean reference;
    private final int channelAxis;

    ShiftAddKernel(Node node, int opset) {
        this.node = node;
        this.planeWeights = node.attrFloats("plane_weights", null);
        this.sliceWeights = node.attrFloats("slice_weights", null);
        if (planeWeights == null || sliceWeights == null || planeWeights.length == 0 || sliceWeights.length == 0) {
            throw new KernelException(node.describe() + ": attributes plane_weights and slice_weights are required");
        }
        this.reference = node.attrInt("reference_column", 0) != 0;
        this.channelAxis = (int) node.attrInt("channel_axis", 1);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray acc = null;
        for (INDArray q : inputs) {
            if (q.size(0) != planeWeights.length || q.size(1) != sliceWeights.length) {
                throw new KernelException(node.describe() + ": partial sums of shape " + java.util.Arrays.toString(q.shape())
                        + " do not match " + planeWeights.length + " planes and " + sliceWeights.length + " slices");
            }
            INDArray arraySum = null;
            for (int j = 0; j < sliceWeights.length; j++) {
                INDArray sliceSum = null;
                for (int p = 0; p < planeWeights.length; p++) {
                    INDArray term = q.get(org.nd4j.linalg.indexing.NDArrayIndex.point(p), org.nd4j.linalg.indexing.NDArrayIndex.point(j))
                            .mul(planeWeights[p]);
                    sliceSum = sliceSum == null ? term : sliceSum.addi(term);
                }
                INDArray weighted = sliceSum.muli(sliceWeights[j]);
                arraySum = arraySum == null ? weighted : arraySum.addi(weighted);
            }
            acc = acc == null ? arraySum : acc.addi(arraySum);
        }
        return new INDArray[] {reference ? subtractReference(acc) : acc};
    }

    private INDArray subtractReference(INDArray acc) {
        long channels = acc.size(channelAxis);
        INDArray ref = acc.get(axisRange(acc.rank(), channels - 1, channels));
        INDArray main = acc.get(axisRange(acc.rank(), 0, channels - 1)).dup('c');
        return main.subi(ref.dup('c').broadcast(main.shape()));
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
