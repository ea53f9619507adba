package org.cimq.cim.export;

import java.util.ArrayList;
import java.util.List;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.runtime.cim.InputMode;

/**
 * {@code CimBitPlanes} with Floor, Mul and Sub on float32 integer codes (exact: every quantity is
 * an integer below 2^17 and every factor a power of two). Digit p of a non-negative code m is
 * {@code Floor(m·2^(−p·d)) − 2^d·Floor(m·2^(−(p+1)·d))}; each digit is unsqueezed to [1, ...] and
 * the planes concatenated on axis 0. Split mode takes the digits of Relu(a) then of Relu(−a);
 * two's complement takes the sign s = −Floor(a·2^(1−B)) (1 for negative codes), the digits of the
 * magnitude a + 2^(B−1)·s, and s as the last plane.
 */
final class BitPlanesLowering {
    private BitPlanesLowering() {
    }

    static Value lower(Node node, Emitter e) {
        InputMode mode = InputMode.of(node);
        int bits = (int) node.attrInt("bits", -1);
        int d = (int) node.attrInt("dac_bits", 1);
        Value a = node.input(0);
        List<Value> planes = new ArrayList<>();
        switch (mode) {
            case UNSIGNED -> digits(a, ceilDiv(bits, d), d, e, planes);
            case SPLIT -> {
                digits(e.op("Relu", a), ceilDiv(bits, d), d, e, planes);
                digits(e.op("Relu", e.op("Neg", a)), ceilDiv(bits, d), d, e, planes);
            }
            case TWOS_COMPLEMENT -> {
                Value sign = e.op("Neg", e.op("Floor", e.op("Mul", a, e.scalar(Math.scalb(1f, 1 - bits)))));
                Value magnitude = e.op("Add", a, e.op("Mul", sign, e.scalar(Math.scalb(1f, bits - 1))));
                digits(magnitude, ceilDiv(bits - 1, d), d, e, planes);
                planes.add(e.unsqueeze0(sign));
            }
            default -> throw new IllegalStateException("input mode " + mode);
        }
        return planes.size() == 1 ? planes.get(0) : e.concat(0, planes.toArray(Value[]::new));
    }

    /** Appends the {@code count} d-bit digit planes ([1, ...] each) of the non-negative integer codes {@code m}. */
    private static void digits(Value m, int count, int d, Emitter e, List<Value> out) {
        Value shifted = m;
        for (int p = 0; p < count; p++) {
            Value next = e.op("Floor", e.op("Mul", m, e.scalar(Math.scalb(1f, -(p + 1) * d))));
            Value digit = e.op("Sub", shifted, e.op("Mul", next, e.scalar(Math.scalb(1f, d))));
            out.add(e.unsqueeze0(digit));
            shifted = next;
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
