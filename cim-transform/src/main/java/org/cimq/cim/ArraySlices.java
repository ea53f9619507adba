package org.cimq.cim;

import org.cimq.ir.Tensor;

/**
 * Builds the constant a {@code CimArray} node multiplies by: for every slice j, the layer's
 * weight digits with the rows outside the array's row range set to zero, plus the reference
 * column (offset scheme) as one extra output channel per group holding the reference digits
 * on the array's rows, placed after that group's channels (so Conv's grouping still holds).
 * Shapes: [J, N(+groups), Cin/group, k...] for Conv, [J, K, N(+1)] for Gemm/MatMul.
 */
final class ArraySlices {
    private ArraySlices() {
    }

    /** {@code q} in the layer's weight layout (Conv: [N, Cin/g·k...]; Gemm/MatMul: [K, N]). */
    static Tensor build(MappedLayer layer, int[] q, WeightSlices slices, int rowStart, int rowEnd) {
        int j0 = slices.count();
        boolean ref = slices.hasReferenceColumn();
        int per = layer.nPerGroup();
        int block = per + (ref ? 1 : 0);
        int nOut = layer.groups() * block;
        int k = layer.k();
        float[] out = new float[j0 * nOut * k];
        for (int j = 0; j < j0; j++) {
            for (int c = 0; c < nOut; c++) {
                boolean isRef = c % block == per;
                int channel = (c / block) * per + c % block;
                for (int r = rowStart; r < rowEnd; r++) {
                    int digit = isRef ? slices.referenceDigit(j) : slices.digit(q[index(layer, r, channel)], j);
                    out[position(layer, j, c, r, nOut)] = digit;
                }
            }
        }
        long[] wShape = layer.weight().shape();
        long[] shape;
        if (layer.kind() == LayerKind.CONV) {
            shape = new long[wShape.length + 1];
            shape[0] = j0;
            shape[1] = nOut;
            System.arraycopy(wShape, 1, shape, 2, wShape.length - 1);
        } else {
            shape = new long[] {j0, k, nOut};
        }
        return Tensor.ofFloats(shape, out);
    }

    private static int index(MappedLayer layer, int row, int channel) {
        return layer.kind() == LayerKind.CONV ? channel * layer.k() + row : row * layer.n() + channel;
    }

    private static int position(MappedLayer layer, int j, int channel, int row, int nOut) {
        int k = layer.k();
        return layer.kind() == LayerKind.CONV ? (j * nOut + channel) * k + row : (j * k + row) * nOut + channel;
    }
}
