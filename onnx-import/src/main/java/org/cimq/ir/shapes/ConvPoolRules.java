package org.cimq.ir.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.IrException;
import org.cimq.ir.Node;
import org.cimq.ir.TensorType;

/** Convolution and pooling over {@code [N, C, spatial...]} inputs (1-D, 2-D, 3-D and beyond). */
final class ConvPoolRules {
    private ConvPoolRules() {
    }

    static void register(Map<String, ShapeRule> m) {
        m.put("Conv", ConvPoolRules::conv);
        m.put("MaxPool", ConvPoolRules::pool);
        m.put("AveragePool", ConvPoolRules::pool);
        m.put("LpPool", ConvPoolRules::pool);
        m.put("GlobalAveragePool", ConvPoolRules::globalPool);
        m.put("GlobalMaxPool", ConvPoolRules::globalPool);
        m.put("GlobalLpPool", ConvPoolRules::globalPool);
    }

    private static TensorType[] conv(Node n, InferenceContext c) {
        List<Dim> x = c.dims(0);
        List<Dim> w = c.dims(1);
        int rank = x != null ? x.size() : w != null ? w.size() : -1;
        if (rank < 0) {
            return new TensorType[] {new TensorType(c.dtype(0), null)};
        }
        checkRank(n, rank);
        int spatial = rank - 2;
        long[] kernel = n.attrInts("kernel_shape", null);
        if (kernel == null && w != null && w.size() == rank) {
            kernel = new long[spatial];
            for (int i = 0; i < spatial; i++) {
                kernel[i] = w.get(2 + i).isKnown() ? w.get(2 + i).value() : -1;
            }
        }
        List<Dim> out = new ArrayList<>();
        out.add(x != null ? x.get(0) : Dim.UNKNOWN);
        out.add(w != null && !w.isEmpty() ? w.get(0) : Dim.UNKNOWN);
        out.addAll(spatial(n, x, spatial, kernel, false));
        return new TensorType[] {new TensorType(c.dtype(0), out)};
    }

    private static TensorType[] pool(Node n, InferenceContext c) {
        List<Dim> x = c.dims(0);
        if (x == null) {
            return new TensorType[] {new TensorType(c.dtype(0), null), new TensorType(DType.INT64, null)};
        }
        checkRank(n, x.size());
        long[] kernel = n.attrInts("kernel_shape", null);
        if (kernel == null) {
            throw new IrException(n.describe() + ": attribute 'kernel_shape' is required");
        }
        List<Dim> out = new ArrayList<>(x.subList(0, 2));
        out.addAll(spatial(n, x, x.size() - 2, kernel, n.attrInt("ceil_mode", 0) != 0));
        return new TensorType[] {new TensorType(c.dtype(0), out), new TensorType(DType.INT64, out)};
    }

    private static TensorType[] globalPool(Node n, InferenceContext c) {
        List<Dim> x = c.dims(0);
        if (x == null) {
            return new TensorType[] {new TensorType(c.dtype(0), null)};
        }
        checkRank(n, x.size());
        List<Dim> out = new ArrayList<>(x.subList(0, 2));
        for (int i = 2; i < x.size(); i++) {
            out.add(Dim.of(1));
        }
        return new TensorType[] {new TensorType(c.dtype(0), out)};
    }

    private static List<Dim> spatial(Node n, List<Dim> x, int spatial, long[] kernel, boolean ceil) {
        if (kernel == null || x == null) {
            return Dims.unknown(spatial);
        }
        if (kernel.length != spatial) {
            throw new IrException(n.describe() + ": kernel_shape " + java.util.Arrays.toString(kernel)
                    + " does not match " + spatial + " spatial dims");
        }
        long[] strides = ints(n, "strides", spatial, 1);
        long[] dilations = ints(n, "dilations", spatial, 1);
        long[] pads = ints(n, "pads", 2 * spatial, 0);
        String autoPad = n.attrString("auto_pad", "NOTSET");
        List<Dim> out = new ArrayList<>(spatial);
        for (int i = 0; i < spatial; i++) {
            out.add(kernel[i] < 0 ? Dim.UNKNOWN
                    : Dims.window(x.get(2 + i), kernel[i], strides[i], dilations[i], pads[i], pads[i + spatial],
                            autoPad, ceil));
        }
        return out;
    }

    private static long[] ints(Node n, String key, int size, long dflt) {
        long[] v = n.attrInts(key, null);
        if (v == null || v.length == 0) {
            v = new long[size];
            java.util.Arrays.fill(v, dflt);
        } else if (v.length != size) {
            throw new IrException(n.describe() + ": attribute '" + key + "' has " + v.length + " values, expected " + size);
        }
        return v;
    }

    private static void checkRank(Node n, int rank) {
        if (rank < 3) {
            throw new IrException(n.describe() + ": input of rank " + rank + ", expected [N, C, spatial...]");
        }
    }
}
