package org.cimq.cim.export;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cimq.ir.Attr;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;

/**
 * {@code CimArray} as one Conv or MatMul over all planes and slices, then Round.
 * <ul>
 * <li>conv: planes [P, B, C, ...] reshaped to [P·B, C, ...] (from their runtime shape, so the batch
 *     stays dynamic), sliced to [channel_start, channel_end) unless grouped, convolved with the
 *     slices stacked to [J·N', C', k...] (grouped: one Conv per slice, concatenated on axis 1),
 *     reshaped to [P, B, J, N', ...] and transposed to [P, J, B, N', ...].</li>
 * <li>matmul: planes [P, ..., K] sliced to [row_start, row_end) on the last axis, multiplied by the
 *     slices laid out as [K', J·N'], reshaped to [P, M, J, N'], transposed to [P, J, M, N'] and
 *     reshaped to [P, J, ..., N'].</li>
 * </ul>
 * Every product and sum is an integer below 2^24, so any summation order gives the kernel's values.
 */
final class ArrayLowering {
    private static final long END = Long.MAX_VALUE;

    private ArrayLowering() {
    }

    static Value lower(Node node, Emitter e) {
        Value planes = node.input(0);
        Tensor w = node.input(1).constant();
        if (w == null) {
            throw new ExportException(node.describe() + ": its weight slices are not a constant");
        }
        boolean conv = node.attrString("kind", "").equals("conv");
        Value ps = conv ? conv(node, planes, w, e) : matmul(node, planes, w, e);
        return e.op("Round", ps);
    }

    private static Value conv(Node node, Value planes, Tensor w, Emitter e) {
        long[] s = w.shape();
        long slices = s[0];
        long n = s[1];
        int group = (int) node.attrInt("group", 1);
        Value x = e.op("Reshape", planes, e.concat(0, e.longs(-1), e.dims(planes, 2, END)));
        long from = node.attrInt("channel_start", -1);
        if (from >= 0 && group == 1) {
            x = e.slice(x, from, node.attrInt("channel_end", -1), 1);
        }
        Map<String, Attr> attrs = new LinkedHashMap<>();
        for (String a : new String[] {"strides", "pads", "dilations", "group", "auto_pad"}) {
            if (node.hasAttr(a)) {
                attrs.put(a, node.attr(a));
            }
        }
        float[] data = w.toFloatArray();
        Value y;
        if (group == 1) {
            long[] stacked = Arrays.copyOfRange(s, 1, s.length);
            stacked[0] = slices * n;
            y = e.op("Conv", attrs, x, e.constant("slices", Tensor.ofFloats(stacked, data)));
        } else {
            long[] one = Arrays.copyOfRange(s, 1, s.length);
            int size = data.length / (int) slices;
            Value[] parts = new Value[(int) slices];
            for (int j = 0; j < slices; j++) {
                Tensor wj = Tensor.ofFloats(one, Arrays.copyOfRange(data, j * size, (j + 1) * size));
                parts[j] = e.op("Conv", attrs, x, e.constant("slice" + j, wj));
            }
            y = slices == 1 ? parts[0] : e.concat(1, parts);
        }
        Value split = e.concat(0, e.dims(planes, 0, 1), e.longs(-1, slices, n), e.dims(y, 2, END));
        long[] perm = new long[s.length + 1];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        perm[1] = 2;
        perm[2] = 1;
        return e.op("Transpose", Map.of("perm", Attr.IntsAttr.of(perm)), e.op("Reshape", y, split));
    }

    private static Value matmul(Node node, Value planes, Tensor w, Emitter e) {
        long[] s = w.shape();
        int slices = (int) s[0];
        int k = (int) s[1];
        int n = (int) s[2];
        float[] data = w.toFloatArray();
        float[] matrix = new float[data.length];
        for (int j = 0; j < slices; j++) {
            for (int r = 0; r < k; r++) {
                System.arraycopy(data, (j * k + r) * n, matrix, (r * slices + j) * n, n);
            }
        }
        Value x = planes;
        long from = node.attrInt("row_start", -1);
        if (from >= 0) {
            x = e.slice(x, from, node.attrInt("row_end", -1), -1);
        }
        Value y = e.op("MatMul", x, e.constant("slices", Tensor.ofFloats(new long[] {k, (long) slices * n}, matrix)));
        y = e.op("Reshape", y, e.longs(0, -1, slices, n));
        y = e.op("Transpose", Map.of("perm", Attr.IntsAttr.of(0, 2, 1, 3)), y);
        Value shape = e.concat(0, e.dims(planes, 0, 1), e.longs(slices), e.dims(planes, 1, -1), e.longs(n));
        return e.op("Reshape", y, shape);
    }
}
