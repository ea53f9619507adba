package org.cimq.cim.train;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * Straight-through building blocks. Every forward value is exact: {@code sg(v) + (u − sg(u))·k}
 * adds an exact zero to {@code v}, and its gradient with respect to u is k.
 */
final class Ste {
    private final SameDiff sd;

    Ste(SameDiff sd) {
        this.sd = sd;
    }

    /** The value of v without a gradient. */
    SDVariable sg(SDVariable v) {
        return new StopGradient(sd, v).outputVariable();
    }

    /** Round half to even (forward), identity gradient. */
    SDVariable round(SDVariable u) {
        return pass(halfEven(sg(u)), u, 1);
    }

    /**
     * Round half to even from ops SameDiff can differentiate (its Rint cannot, even behind a
     * StopGradient): with a = |x|, f = floor(a) and d = a − f (exact), |result| = f + [d > ½] +
     * [d = ½]·(f mod 2), with x's sign; the same value as IEEE rint.
     */
    private SDVariable halfEven(SDVariable x) {
        SDVariable a = sd.math().abs(x);
        SDVariable f = sd.math().floor(a);
        SDVariable d = a.sub(f);
        SDVariable up = d.gt(0.5).castTo(DataType.FLOAT);
        SDVariable tie = d.eq(0.5).castTo(DataType.FLOAT);
        SDVariable odd = f.sub(sd.math().floor(f.mul(0.5)).mul(2.0));
        return sd.math().sign(x).mul(f.add(up).add(tie.mul(odd)));
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
