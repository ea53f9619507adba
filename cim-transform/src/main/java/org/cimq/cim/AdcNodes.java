package org.cimq.cim;

import org.cimq.ir.Attr;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;
import org.cimq.runtime.cim.CimOps;

/** Adds the {@code AdcQuantize} node after one array's partial sums. */
final class AdcNodes {
    private AdcNodes() {
    }

    static Value add(NodeFactory f, Value partialSums, AdcSetting adc, int tile, MappedLayer layer, WeightSlices slices) {
        Node q = f.node(CimOps.ADC, partialSums);
        q.setAttr("levels", new Attr.IntAttr(adc.levels()));
        q.setAttr("quantizer", Attr.StringAttr.of(adc.quantizer().id()));
        if (adc.columnDeltas() != null) {
            q.setAttr("deltas", new Attr.TensorAttr(columnDeltas(adc.columnDeltas()[tile], layer, slices)));
        } else {
            double d = adc.arrayDeltas() != null ? adc.arrayDeltas()[tile] : adc.delta();
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new CimTransformException(layer.node().describe() + ": ADC step of array " + tile + " must be positive, got " + d);
            }
            q.setAttr("delta", new Attr.FloatAttr((float) d));
        }
        return q.output(0);
    }

    /** deltas[j][n] shaped to broadcast against partial sums [P, J, ...y] with channels on y's channel axis. */
    private static Tensor columnDeltas(double[][] deltas, MappedLayer layer, WeightSlices slices) {
        int j0 = slices.count();
        int n = layer.n() + (slices.hasReferenceColumn() ? layer.groups() : 0);
        if (deltas.length != j0 || deltas[0].length != n) {
            throw new CimTransformException(layer.node().describe() + ": column steps need " + j0 + "×" + n + " values");
        }
        int rank = 2 + Positions.outputRank(layer);
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        shape[1] = j0;
        shape[2 + Positions.channelAxis(layer)] = n;
        float[] v = new float[j0 * n];
        for (int j = 0; j < j0; j++) {
            for (int c = 0; c < n; c++) {
                v[j * n + c] = (float) deltas[j][c];
            }
        }
        return Tensor.ofFloats(shape, v);
    }
}
