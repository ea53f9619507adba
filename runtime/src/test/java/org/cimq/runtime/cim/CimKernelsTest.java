package org.cimq.runtime.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cimq.ir.Attr;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.runtime.KernelException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The CIM kernels against hand-computed values. */
class CimKernelsTest {
    private static Node node(String op, Object... kv) {
        Node n = new Node("t", op, CimOps.DOMAIN);
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            Attr a = v instanceof String s ? Attr.StringAttr.of(s) : v instanceof Float f ? new Attr.FloatAttr(f)
                    : v instanceof long[] l ? Attr.IntsAttr.of(l) : v instanceof float[] fs ? floats(fs)
                    : v instanceof Tensor t ? new Attr.TensorAttr(t) : new Attr.IntAttr(((Number) v).longValue());
            n.setAttr((String) kv[i], a);
        }
        return n;
    }

    private static Attr floats(float[] fs) {
        java.util.List<Float> l = new java.util.ArrayList<>();
        for (float f : fs) {
            l.add(f);
        }
        return new Attr.FloatsAttr(l);
    }

    /** The first output's values, with -0 read as 0 (both are the integer 0 here). */
    private static float[] run(org.cimq.runtime.Kernel k, INDArray... in) {
        float[] v = k.run(in)[0].dup('c').data().asFloat();
        for (int i = 0; i < v.length; i++) {
            v[i] += 0f;
        }
        return v;
    }

    @Test
    void inputCodesRoundHalfToEvenAndClampPerMode() {
        INDArray x = Nd4j.createFromArray(-3f, -0.5f, 0.5f, 1.5f, 2.5f, 7.4f, 40f);
        assertArrayEquals(new float[] {0, 0, 0, 2, 2, 7, 15},
                run(new QuantizeInputKernel(node("q", "scale", 1f, "bits", 4), 1), x));
        assertArrayEquals(new float[] {-3, 0, 0, 2, 2, 7, 15},
                run(new QuantizeInputKernel(node("q", "scale", 1f, "bits", 4, "input_mode", "split"), 1), x));
        assertArrayEquals(new float[] {-3, 0, 0, 2, 2, 7, 7},
                run(new QuantizeInputKernel(node("q", "scale", 1f, "bits", 4, "input_mode", "twos-complement"), 1), x));
        // scale 0.5: x / 0.5 = {-6,-1,1,3,5,14.8,80}
        assertArrayEquals(new float[] {0, 0, 1, 3, 5, 15, 15},
                run(new QuantizeInputKernel(node("q", "scale", 0.5f, "bits", 4), 1), x));
    }

    @Test
    void planeDigitsAndWeightsReassembleEveryCode() {
        for (InputMode m : InputMode.values()) {
            for (int bits = 1; bits <= 6; bits++) {
                for (int d = 1; d <= bits; d++) {
                    double[] w = m.planeWeights(bits, d);
                    for (long a = m.min(bits); a <= m.max(bits); a++) {
                        double sum = 0;
                        for (int p = 0; p < w.length; p++) {
                            long digit = m.digit(a, p, bits, d);
                            assertTrue(digit >= 0 && digit < (1L << d), m + " digit " + digit);
                            sum += w[p] * digit;
                        }
                        assertEquals(a, sum, 0, m + " bits " + bits + " d " + d + " code " + a);
                    }
                }
            }
        }
    }

    @Test
    void matmulArrayGivesPartialSumsPerPlaneAndSlice() {
        // codes a = [[3, 1]] (B=1, K=2), d = 1, 2 bits: planes p0 = [1,1], p1 = [1,0]
        // slices (J=2, K=2, N=2): s0 = [[1,-1],[0,1]], s1 = [[1,0],[-1,1]]
        INDArray a = Nd4j.createFromArray(new float[][] {{3, 1}});
        INDArray w = Nd4j.createFromArray(new float[][][] {{{1, -1}, {0, 1}}, {{1, 0}, {-1, 1}}});
        INDArray planes = new BitPlanesKernel(node("b", "bits", 2, "dac_bits", 1), 1).run(new INDArray[] {a})[0];
        assertArrayEquals(new float[] {1, 1, 1, 0}, planes.dup('c').data().asFloat());
        CimArrayKernel k = new CimArrayKernel(node("a", "kind", "matmul"), 1);
        INDArray ps = k.run(new INDArray[] {planes, w})[0];
        assertArrayEquals(new long[] {2, 2, 1, 2}, ps.shape());
        // p0·s0 = [1, 0]; p0·s1 = [0, 1]; p1·s0 = [1, -1]; p1·s1 = [1, 0]
        assertArrayEquals(new float[] {1, 0, 0, 1, 1, -1, 1, 0}, ps.dup('c').data().asFloat());
    }

    @Test
    void convArrayMatchesAHandComputedStridedPaddedCase() {
        // one channel 3x3 codes 0..8 (bits 4, d 2 → planes: low 2 bits, high 2 bits), one 2x2 slice of ones,
        // stride 2, pads 1: windows cover {0}, {1,2}, {3,6}, {4,5,7,8}
        INDArray a = Nd4j.arange(0, 9).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).reshape(1, 1, 3, 3);
        INDArray w = Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 1, 1, 2, 2);
        INDArray planes = new BitPlanesKernel(node("b", "bits", 4, "dac_bits", 2), 1).run(new INDArray[] {a})[0];
        CimArrayKernel k = new CimArrayKernel(node("a", "kind", "conv", "strides", new long[] {2, 2},
                "pads", new long[] {1, 1, 1, 1}), 1);
        INDArray ps = k.run(new INDArray[] {planes, w})[0];
        assertArrayEquals(new long[] {2, 1, 1, 1, 2, 2}, ps.shape());
        // low digits (a mod 4): 0,1,2,3,0,1,2,3,0 ; high digits (a div 4): 0,0,0,0,1,1,1,1,2
        // low: {0}=0, {1,2}=3, {3,6}=3+2=5, {4,5,7,8}=0+1+3+0=4 ; high: 0, 0, 0+1=1, 1+1+1+2=5
        assertArrayEquals(new float[] {0, 3, 5, 4, 0, 0, 1, 5}, ps.dup('c').data().asFloat());
    }

    @Test
    void matmulArrayReadsOnlyItsRowsAndConvArrayOnlyItsChannels() {
        // K = 3 features, the array holds rows [1, 3): slices [J=1, K'=2, N=1] = [[2], [3]]
        INDArray planes = Nd4j.createFromArray(new float[][][] {{{5, 1, 1}}}); // P = 1, B = 1
        INDArray w = Nd4j.createFromArray(new float[][][] {{{2}, {3}}});
        INDArray ps = new CimArrayKernel(node("a", "kind", "matmul", "row_start", 1, "row_end", 3), 1).run(new INDArray[] {planes, w})[0];
        assertArrayEquals(new float[] {5}, ps.dup('c').data().asFloat()); // 1·2 + 1·3, feature 0 ignored
        // conv over channels [1, 2) of 2: a 1x1 kernel of weight 3 on channel 1 only
        INDArray img = Nd4j.createFromArray(7f, 2f).reshape(1, 1, 2, 1, 1); // [P, B, C = 2, 1, 1]
        INDArray wc = Nd4j.createFromArray(3f).reshape(1, 1, 1, 1, 1); // [J, N, C' = 1, 1, 1]
        INDArray pc = new CimArrayKernel(node("a", "kind", "conv", "channel_start", 1, "channel_end", 2), 1)
                .run(new INDArray[] {img, wc})[0];
        assertArrayEquals(new float[] {6}, pc.dup('c').data().asFloat());
    }

    @Test
    void zeroTreadAdcRoundsHalfToEvenAndClampsOddAndEvenLevels() {
        INDArray v = Nd4j.createFromArray(-7f, -3f, -1f, 1f, 2f, 3f, 5f, 9f);
        // L = 3, Δ = 2: v/Δ = -3.5,-1.5,-0.5,0.5,1,1.5,2.5,4.5 → round-even -4,-2,-0,0,1,2,2,4 → clamp ±1
        assertArrayEquals(new float[] {-2, -2, 0, 0, 2, 2, 2, 2},
                run(new AdcQuantizeKernel(node("q", "levels", 3, "delta", 2f), 1), v));
        // L = 4, Δ = 2: clamp to [-2, 1]
        assertArrayEquals(new float[] {-4, -4, 0, 0, 2, 2, 2, 2},
                run(new AdcQuantizeKernel(node("q", "levels", 4, "delta", 2f), 1), v));
        // L = 2 zero-tread: levels {-Δ, 0}
        assertArrayEquals(new float[] {-2, -2, 0, 0, 0, 0, 0, 0},
                run(new AdcQuantizeKernel(node("q", "levels", 2, "delta", 2f), 1), v));
        // mid-rise L = 4, Δ = 2: floor(v/2) clamp [-2,1] + 0.5 → levels -3,-1,1,3
        assertArrayEquals(new float[] {-3, -3, -1, 1, 3, 3, 3, 3},
                run(new AdcQuantizeKernel(node("q", "levels", 4, "delta", 2f, "quantizer", "mid-rise"), 1), v));
        assertThrows(KernelException.class, () -> new AdcQuantizeKernel(node("q", "levels", 1, "delta", 1f), 1));
        assertThrows(KernelException.class, () -> new AdcQuantizeKernel(node("q", "levels", 3, "delta", 1f, "quantizer", "mid-rise"), 1));
    }

    @Test
    void perColumnStepsBroadcast() {
        INDArray v = Nd4j.createFromArray(new float[][] {{3, 3}, {5, 5}});
        Tensor deltas = Tensor.ofFloats(new long[] {1, 2}, 1, 4);
        // column 0: Δ 1, L 5 → clamp ±2: 2, 2 ; column 1: Δ 4: 3/4 → 1 → 4, 5/4 → 1 → 4
        assertArrayEquals(new float[] {2, 4, 2, 4}, run(new AdcQuantizeKernel(node("q", "levels", 5, "deltas", deltas), 1), v));
    }

    @Test
    void shiftAddWeighsPlanesSlicesAndSubtractsTheReferenceColumn() {
        // two arrays, P = 2 planes (weights 1, 2), J = 2 slices (weights 1, -4), y = [1, 2] (channel axis 1, 2 channels)
        INDArray q0 = Nd4j.createFromArray(new float[][][][] {{{{1, 2}}, {{0, 1}}}, {{{3, 0}}, {{1, 1}}}});
        INDArray q1 = Nd4j.createFromArray(new float[][][][] {{{{1, 1}}, {{1, 1}}}, {{{0, 0}}, {{0, 0}}}});
        float[] pw = {1, 2};
        float[] sw = {1, -4};
        // array 0: j0: 1·[1,2] + 2·[3,0] = [7,2]; j1: [0,1] + 2·[1,1] = [2,3]; → [7,2] - 4·[2,3] = [-1,-10]
        // array 1: j0: [1,1]; j1: [1,1] → [1,1] - 4·[1,1] = [-3,-3]; total [-4, -13]
        ShiftAddKernel k = new ShiftAddKernel(node("s", "plane_weights", pw, "slice_weights", sw), 1);
        assertArrayEquals(new float[] {-4, -13}, run(k, q0, q1));
        ShiftAddKernel ref = new ShiftAddKernel(node("s", "plane_weights", pw, "slice_weights", sw, "reference_column", 1), 1);
        assertArrayEquals(new float[] {9}, run(ref, q0, q1)); // -4 - (-13)
    }
}
