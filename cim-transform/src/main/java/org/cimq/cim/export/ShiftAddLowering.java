package org.cimq.cim.export;

import java.util.Map;
import org.cimq.ir.Attr;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;
import org.cimq.runtime.cim.CimOps;

/**
 * {@code CimShiftAdd}: each array's partial sums [P, J, ...y] reshaped to [P, J, |y|], multiplied by
 * the constant weights W[p, j, 0] = slice_weights[j]·plane_weights[p] (powers of two, so the
 * products are exact), ReduceSum over axes 0 and 1, Sum over the arrays, reshaped to y. With a
 * reference column, each group's last channel is sliced off and subtracted from the group's other
 * channels (Slice, Sub, Concat on the channel axis). Integer terms give the kernel's values
 * exactly; fractional ADC levels may differ in the last bits, as the summation order differs
 * (ONNX Runtime's ReduceSum against the kernel's term-by-term accumulation).
 */
final class ShiftAddLowering {
    private static final long END = Long.MAX_VALUE;

    private ShiftAddLowering() {
    }

    static Value lower(Node node, Emitter e) {
        float[] pw = node.attrFloats("plane_weights", null);
        float[] sw = node.attrFloats("slice_weights", null);
        if (pw == null || sw == null) {
            throw new ExportException(node.describe() + ": attributes plane_weights and slice_weights are required");
        }
        float[] w = new float[pw.length * sw.length];
        for (int p = 0; p < pw.length; p++) {
            for (int j = 0; j < sw.length; j++) {
                w[p * sw.length + j] = (float) ((double) sw[j] * pw[p]);
            }
        }
        Value weights = e.constant("shift_weights", Tensor.ofFloats(new long[] {pw.length, sw.length, 1}, w));
        Value axes = e.longs(0, 1);
        Value[] terms = new Value[node.inputs().size()];
        for (int t = 0; t < terms.length; t++) {
            Value flat = e.op("Reshape", node.input(t), e.longs(pw.length, sw.length, -1));
            terms[t] = e.op("ReduceSum", Map.of("keepdims", new Attr.IntAttr(0)), e.op("Mul", flat, weights), axes);
        }
        Value acc = terms.length == 1 ? terms[0] : e.op("Sum", terms);
        acc = e.op("Reshape", acc, e.dims(node.input(0), 2, END));
        return node.attrInt("reference_column", 0) != 0 ? subtractReference(node, acc, e) : acc;
    }

    private static Value subtractReference(Node node, Value acc, Emitter e) {
        Node array = arrayOf(node);
        boolean conv = array.attrString("kind", "").equals("conv");
        long[] ws = array.input(1).constant().shape();
        long channels = conv ? ws[1] : ws[2];
        long axis = conv ? 1 : -1;
        int groups = (int) node.attrInt("groups", 1);
        long block = channels / groups;
        Value[] parts = new Value[groups];
        for (int g = 0; g < groups; g++) {
            long start = g * block;
            Value main = e.slice(acc, start, start + block - 1, axis);
            Value ref = e.slice(acc, start + block - 1, start + block, axis);
            parts[g] = e.op("Sub", main, ref);
        }
        return groups == 1 ? parts[0] : e.concat(axis, parts);
    }

    /** The CimArray node feeding the first input (directly or through its AdcQuantize), still unlowered. */
    private static Node arrayOf(Node shiftAdd) {
        Node n = shiftAdd.input(0).producer();
        if (n != null && n.opType().equals(CimOps.ADC)) {
            n = n.input(0).producer();
        }
        if (n == null || !n.opType().equals(CimOps.ARRAY) || n.input(1).constant() == null) {
            throw new ExportException(shiftAdd.describe() + ": its reference column needs the channel count of a CimArray "
                    + "with constant slices feeding it");
        }
        return n;
    }
}
