package org.cimq.cim.train;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX Slice and Pad as SameDiff ops for retraining ({@link FloatOps}), with every index a
 * constant of the prepared model: Slice becomes a strided slice (positive steps; an axis of
 * unknown size, the batch axis, may only be taken whole), Pad a constant-mode pad. Both pass
 * gradients to the kept elements only, as their ONNX meaning implies.
 */
final class ShapeOps {
    private ShapeOps() {
    }

    /**
     * A Slice node's bounds on every axis of its input: begin, end (exclusive), positive stride, and a mask
     * with bit d set where axis d is taken whole (the bounds of such an axis are 0, 0, 1).
     */
    record SliceSpec(long[] begin, long[] end, long[] stride, int whole) { }

    static SDVariable slice(SameDiff sd, Node n, SDVariable x) {
        SliceSpec s = sliceSpec(n);
        return sd.stridedSlice(x, s.begin(), s.end(), s.stride(), s.whole(), s.whole(), 0, 0, 0);
    }

    static SliceSpec sliceSpec(Node n) {
        long[] shape = staticShape(n);
        int rank = shape.length;
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps;
        if (n.attr("starts") != null) { // opset < 10: attributes
            starts = n.attrInts("starts", null);
            ends = n.attrInts("ends", null);
            axes = n.attrInts("axes", null);
            steps = null;
        } else {
            starts = constant(n, 1, "starts");
            ends = constant(n, 2, "ends");
            axes = present(n, 3) ? constant(n, 3, "axes") : null;
            steps = present(n, 4) ? constant(n, 4, "steps") : null;
        }
        if (axes == null) {
            axes = new long[starts.length];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i;
            }
        }
        if (ends.length != starts.length || axes.length != starts.length || (steps != null && steps.length != starts.length)) {
            throw new TrainingException(n.describe() + ": starts, ends, axes and steps differ in length");
        }
        long[] begin = new long[rank];
        long[] end = new long[rank];
        long[] stride = new long[rank];
        Arrays.fill(stride, 1);
        int whole = (1 << rank) - 1;
        for (int k = 0; k < starts.length; k++) {
            int d = (int) (axes[k] < 0 ? axes[k] + rank : axes[k]);
            long step = steps == null ? 1 : steps[k];
            if (d < 0 || d >= rank || step < 1) {
                throw new TrainingException(n.describe() + ": axis " + axes[k] + " with step " + step
                        + " is not supported by retraining (axes within the rank, positive steps)");
            }
            long dim = shape[d];
            if (dim < 0) {
                if (starts[k] == 0 && ends[k] >= Integer.MAX_VALUE && step == 1) {
                    continue; // the whole batch axis
                }
                throw new TrainingException(n.describe() + ": slicing axis " + d + " of unknown size is not supported by retraining");
            }
            begin[d] = clamp(starts[k] < 0 ? starts[k] + dim : starts[k], dim);
            end[d] = clamp(ends[k] < 0 ? ends[k] + dim : ends[k], dim);
            stride[d] = step;
            whole &= ~(1 << d);
        }
        return new SliceSpec(begin, end, stride, whole);
    }

    static SDVariable pad(SameDiff sd, Node n, SDVariable x) {
        return sd.nn().pad(x, sd.constant(Nd4j.createFromArray(padAmounts(n))), PadMode.CONSTANT, padValue(n));
    }

    /** The constant value a Pad node fills with. */
    static double padValue(Node n) {
        double value = 0;
        if (present(n, 2)) {
            Tensor v = n.input(2).constant();
            if (v == null || v.numel() != 1) {
                throw new TrainingException(n.describe() + ": the pad value must be a constant scalar");
            }
            value = v.toFloatArray()[0];
        } else if (n.attr("value") != null) {
            value = n.attrFloat("value", 0f);
        }
        return value;
    }

    /** A constant-mode Pad node's cells added before ([d][0]) and after ([d][1]) every axis d of its input. */
    static int[][] padAmounts(Node n) {
        if (!n.attrString("mode", "constant").equals("constant")) {
            throw new TrainingException(n.describe() + ": only Pad mode 'constant' is supported by retraining");
        }
        long[] pads = n.attr("pads") != null ? n.attrInts("pads", null) : constant(n, 1, "pads");
        if (present(n, 3)) {
            throw new TrainingException(n.describe() + ": Pad with an axes input is not supported by retraining");
        }
        int rank = staticShape(n).length;
        if (pads.length != 2 * rank) {
            throw new TrainingException(n.describe() + ": " + pads.length + " pads for a rank-" + rank + " input");
        }
        int[][] p = new int[rank][2];
        for (int d = 0; d < rank; d++) {
            if (pads[d] < 0 || pads[d + rank] < 0) {
                throw new TrainingException(n.describe() + ": negative pads (cropping) are not supported by retraining");
            }
            p[d][0] = (int) pads[d];
            p[d][1] = (int) pads[d + rank];
        }
        return p;
    }

    private static long clamp(long v, long dim) {
        return Math.max(0, Math.min(v, dim));
    }

    private static boolean present(Node n, int i) {
        return n.inputs().size() > i && n.input(i) != null && !n.input(i).name().isEmpty();
    }

    private static long[] constant(Node n, int i, String what) {
        Tensor t = present(n, i) ? n.input(i).constant() : null;
        if (t == null) {
            throw new TrainingException(n.describe() + ": " + what + " must be a constant for retraining");
        }
        return t.toLongArray();
    }

    private static long[] staticShape(Node n) {
        TensorType t = n.input(0).type();
        if (t == null || !t.hasRank()) {
            throw new TrainingException(n.describe() + ": input shape unknown after shape inference");
        }
        return t.shapeOrMinusOne();
    }
}
