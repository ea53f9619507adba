package org.cimq.cim;

import org.cimq.ir.Dim;
import org.cimq.ir.TensorType;

/** Output positions per image and axis facts of a mapped layer, read from inferred shapes. */
final class Positions {
    private Positions() {
    }

    /** H'·W'… for Conv (from the output's type), M… for MatMul (input dims between batch and K), 1 for Gemm. */
    static long perImage(MappedLayer layer) {
        if (layer.kind() == LayerKind.GEMM) {
            return 1;
        }
        boolean conv = layer.kind() == LayerKind.CONV;
        TensorType t = conv ? layer.node().output(0).type() : layer.input().type();
        if (t == null || !t.hasRank()) {
            throw new CimTransformException(layer.node().describe() + ": its " + (conv ? "output" : "input")
                    + " shape is unknown; cannot count output positions");
        }
        int from = conv ? 2 : 1;
        int to = conv ? t.rank() : t.rank() - 1;
        long p = 1;
        for (int i = from; i < to; i++) {
            Dim d = t.dims().get(i);
            if (!d.isKnown()) {
                throw new CimTransformException(layer.node().describe() + ": dimension " + i + " of " + t + " is not static");
            }
            p *= d.value();
        }
        return p;
    }

    /** Rank of the layer's output y. */
    static int outputRank(MappedLayer layer) {
        if (layer.kind() == LayerKind.GEMM) {
            return 2;
        }
        TensorType t = layer.input().type();
        if (t == null || !t.hasRank()) {
            throw new CimTransformException(layer.node().describe() + ": its input rank is unknown");
        }
        return t.rank();
    }

    /** Axis of the output channels in y. */
    static int channelAxis(MappedLayer layer) {
        return layer.kind() == LayerKind.CONV ? 1 : outputRank(layer) - 1;
    }
}
