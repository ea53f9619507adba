package org.cimq.runtime.conformance;

import java.util.Arrays;
import org.cimq.ir.Tensor;

/** Compares an actual tensor with an expected one: exact for integers and bools, |a-e| ≤ atol + rtol·|e| for floats. */
final class TensorComparison {
    private TensorComparison() {
    }

    /** null when equal within tolerance, else a one-line description of the first difference. */
    static String difference(Tensor expected, Tensor actual, double rtol, double atol) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            return "shape " + Arrays.toString(actual.shape()) + " != expected " + Arrays.toString(expected.shape());
        }
        if (expected.dtype() != actual.dtype()) {
            return "type " + actual.dtype() + " != expected " + expected.dtype();
        }
        boolean exact = !expected.dtype().isFloatingPoint();
        int n = (int) expected.numel();
        for (int i = 0; i < n; i++) {
            double e = expected.getDouble(i);
            double a = actual.getDouble(i);
            if (Double.isNaN(e) && Double.isNaN(a)) {
                continue;
            }
            boolean ok = exact ? expected.getLong(i) == actual.getLong(i) && e == a
                    : (e == a) || Math.abs(a - e) <= atol + rtol * Math.abs(e);
            if (!ok) {
                return "element " + i + ": " + a + " != expected " + e;
            }
        }
        return null;
    }
}
