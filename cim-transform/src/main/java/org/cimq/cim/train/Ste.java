package org.cimq.cim.train;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * Straight-through building blocks whose forward values are exact: rounding as
 * {@code u + sg(rint(u) − u)}, and {@code sg(v) + (u − sg(u))·k}, which adds an exact zero to v
 * and passes k times u's gradient.
 */
final class Ste {
    /** 1.5·2^23: adding and subtracting it rounds a float32 of magnitude below 2^22 to an integer, half to even. */
    private static final double MAGIC = 12582912.0;
    private final SameDiff sd;

    Ste(SameDiff sd) {
        this.sd = sd;
    }

    /** The value of v without a gradient. */
    SDVariable sg(SDVariable v) {
        return new StopGradient(sd, v).outputVariable();
    }

    /**
     * Round half to even (forward), identity gradient. Exact: r − u is exact (Sterbenz's lemma for
     * |u| ≥ ½, and −u when r = 0), so u + (r − u) is r.
     */
    SDVariable round(SDVariable u) {
        return u.add(sg(rint(sg(u)).sub(u)));
    }

    /**
     * IEEE rint for |x| < 2^22 from two float32 additions: the sum with 1.5·2^23 keeps no fraction
     * bits, so the hardware's round-half-even picks the integer. (ND4J's Rint op has no gradient
     * definition, which SameDiff asks for even behind a StopGradient.)
     */
    SDVariable rint(SDVariable x) {
        return x.add(MAGIC).sub(MAGIC);
    }

    /** Clamp to [lo, hi], then round half to even: gradient 1 inside the range, 0 where clamped. */
    SDVariable clampRound(SDVariable u, double lo, double hi) {
        return round(sd.math().clipByValue(u, lo, hi));
    }

    /** The value of {@code value} (taken as a constant) with gradient {@code k} towards u. */
    SDVariable pass(SDVariable value, SDVariable u, double k) {
        SDVariable zero = u.sub(sg(u));
        return sg(value).add(k == 1 ? zero : zero.mul(k));
    }

    /** Digit i of the non-negative integers m in base 2^bits: floor(m/2^(i·bits)) − 2^bits·floor(m/2^((i+1)·bits)); no gradient. */
    SDVariable digit(SDVariable m, int i, int bits) {
        SDVariable hi = sd.math().floor(m.mul(Math.scalb(1.0, -(i + 1) * bits)));
        SDVariable lo = sd.math().floor(m.mul(Math.scalb(1.0, -i * bits)));
        return sg(lo.sub(hi.mul(Math.scalb(1.0, bits))));
    }
}
