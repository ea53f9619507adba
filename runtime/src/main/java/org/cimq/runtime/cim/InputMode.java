package org.cimq.runtime.cim;

import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;

/**
 * How integer input codes are applied to the arrays bit-serially, d bits per cycle.
 * <ul>
 * <li>{@code unsigned}: codes in [0, 2^B − 1]; I = ceil(B/d) planes, plane i weighs 2^(i·d).</li>
 * <li>{@code split}: signed codes in [−(2^B − 1), 2^B − 1] applied as two unsigned passes: planes
 *     0..I−1 carry the digits of max(a, 0) (weights +2^(i·d)), planes I..2I−1 those of max(−a, 0)
 *     (weights −2^(i·d)).</li>
 * <li>{@code twos-complement}: codes in [−2^(B−1), 2^(B−1) − 1]; the B−1 magnitude bits of the
 *     two's-complement pattern in ceil((B−1)/d) planes of d bits (weights 2^(i·d)), then the sign
 *     bit alone in the last plane, weighted −2^(B−1).</li>
 * </ul>
 */
public enum InputMode {
    UNSIGNED("unsigned"), SPLIT("split"), TWOS_COMPLEMENT("twos-complement");

    private final String id;

    InputMode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static InputMode of(Node node) {
        String s = node.attrString("input_mode", "unsigned");
        for (InputMode m : values()) {
            if (m.id.equals(s)) {
                return m;
            }
        }
        throw new KernelException(node.describe() + ": input_mode '" + s + "' is not one of unsigned, split, twos-complement");
    }

    /** Smallest code. */
    public long min(int bits) {
        return switch (this) {
            case UNSIGNED -> 0;
            case SPLIT -> -((1L << bits) - 1);
            case TWOS_COMPLEMENT -> -(1L << (bits - 1));
        };
    }

    /** Largest code. */
    public long max(int bits) {
        return this == TWOS_COMPLEMENT ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
    }

    /** Number of bit planes for B-bit codes applied d bits per cycle. */
    public int planes(int bits, int dacBits) {
        return switch (this) {
            case UNSIGNED -> ceilDiv(bits, dacBits);
            case SPLIT -> 2 * ceilDiv(bits, dacBits);
            case TWOS_COMPLEMENT -> ceilDiv(bits - 1, dacBits) + 1;
        };
    }

    /** The shift-add weight of each plane (see the class comment). */
    public double[] planeWeights(int bits, int dacBits) {
        double[] w = new double[planes(bits, dacBits)];
        int mag = this == SPLIT ? w.length / 2 : this == TWOS_COMPLEMENT ? w.length - 1 : w.length;
        for (int i = 0; i < mag; i++) {
            w[i] = Math.scalb(1.0, i * dacBits);
            if (this == SPLIT) {
                w[mag + i] = -w[i];
            }
        }
        if (this == TWOS_COMPLEMENT) {
            w[w.length - 1] = -Math.scalb(1.0, bits - 1);
        }
        return w;
    }

    /** Digit of plane {@code p} of code {@code a} (a non-negative integer below 2^d). */
    public long digit(long a, int p, int bits, int dacBits) {
        long mask = (1L << dacBits) - 1;
        return switch (this) {
            case UNSIGNED -> (a >> (p * dacBits)) & mask;
            case SPLIT -> {
                int half = ceilDiv(bits, dacBits);
                long part = p < half ? Math.max(a, 0) : Math.max(-a, 0);
                yield (part >> ((p % half) * dacBits)) & mask;
            }
            case TWOS_COMPLEMENT -> {
                long pattern = a & ((1L << bits) - 1);
                int last = ceilDiv(bits - 1, dacBits);
                if (p == last) {
                    yield (pattern >> (bits - 1)) & 1;
                }
                long magnitude = pattern & ((1L << (bits - 1)) - 1);
                yield (magnitude >> (p * dacBits)) & mask;
            }
        };
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
