package org.cimq.cim;

import org.cimq.ir.Tensor;

/**
 * Builds the constant a {@code CimArray} node multiplies by: for every slice j, the layer's
 * weight digits on the rows the array holds (other rows zero), restricted to the part of the
 * input the array reads — input channels [cs, ce) covering its rows for an ungrouped Conv (all
 * channels for grouped Conv), rows [rs, re) for Gemm/MatMul. With the offset scheme, each group
 * gets one extra output channel after its own, the reference column, holding the reference
 * digits on the array's rows (so Conv's grouping still holds). Shapes: [J, N', ce − cs, k...]
 * for Conv, [J, re − rs, N'] for Gemm/MatMul, N' = N (+ groups).
 */
final class ArraySlices {
    private ArraySlices() {
    }

    /** The first and end input channel (Conv) or feature (Gemm/MatMul) an array with rows [rs, re) reads. */
    static int[] inputRange(MappedLayer layer, int rowStart, int rowEnd) {
        if (layer.kind() != LayerKind.CONV) {
            return new int[] {rowStart, rowEnd};
        }
        if (layer.groups() != 1) {
            return new int[] {0, layer.k() / layer.kernelArea()};
        }
        int area = layer.kernelArea();
        return new int[] {rowStart / area, (rowEnd + area - 1) / area};
    }

    /** {@code q} in the layer's weight layout (Conv: [N, Cin/g·k...]; Gemm/MatMul: [K, N]). */
    static Tensor build(MappedLayer layer, int[] q, WeightSlices slices, int rowStart, int rowEnd) {
        int j0 = slices.count();
        boolean ref = slices.hasReferenceColumn();
        int per = layer.nPerGroup();
        int block = per + (ref ? 1 : 0);
        int nOut = layer.groups() * block;
        int[] range = inputRange(layer, rowStart, rowEnd);
        boolean conv = layer.kind() == LayerKind.CONV;
        int first = conv ? range[0] * layer.kernelArea() : range[0];
        int rows = (conv ? range[1] * layer.kernelArea() : range[1]) - first;
        float[] out = new float[j0 * nOut * rows];
        for (int j = 0; j < j0; j++) {
            for (int c = 0; c < nOut; c++) {
                boolean isRef = c % block == per;
                int channel = (c / block) * per + c % block;
                for (int r = rowStart; r < rowEnd; r++) {
                    int digit = isRef ? slices.referenceDigit(j) : slices.digit(q[index(layer, r, channel)], j);
                    int local = r - first;
                    out[conv ? (j * nOut + c) * rows + local : (j * rows + local) * nOut + c] = digit;
                }
            }
        }
        long[] wShape = layer.weight().shape();
        long[] shape;
        if (conv) {
            shape = new long[wShape.length + 1];
            shape[0] = j0;
            shape[1] = nOut;
            System.arraycopy(wShape, 1, shape, 2, wShape.length - 1);
            shape[2] = range[1] - range[0];
        } else {
            shape = new long[] {j0, rows, nOut};
        }
        return Tensor.ofFloats(shape, out);
    }

    private static int index(MappedLayer layer, int row, int channel) {
        return layer.kind() == LayerKind.CONV ? channel * layer.k() + row : row * layer.n() + channel;
    }
}
