package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Quantizer;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.runtime.Executor;
import org.cimq.runtime.ModelLoader;
import org.cimq.runtime.cim.InputMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The transform + runtime against a direct, loop-by-loop reading of CIM-SPEC written here
 * independently of the production code: a grouped, strided, padded, dilated Conv on arrays of R = 3
 * rows (partial last tile), c = 2, d = 2, odd and even L.
 */
class CimSpecReferenceTest {
    private static final int CIN = 4;
    private static final int COUT = 4;
    private static final int GROUPS = 2;
    private static final int KH = 2;
    private static final int KW = 2;
    private static final int H = 5;
    private static final int W = 5;

    @ParameterizedTest
    @CsvSource({"0,1.0", "3,1.5", "4,2.0", "5,0.75", "2,1.0"})
    void groupedStridedPaddedDilatedConvMatchesTheSpec(int levels, double delta) {
        Random r = new Random(5);
        float[] w = new float[COUT * (CIN / GROUPS) * KH * KW];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        float[] x = new float[CIN * H * W];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.abs(r.nextGaussian());
        }
        float scale = 0.2f;
        CimConfig cfg = CimConfig.DEFAULTS.with(Map.of("rows", "3", "cell_bits", "2", "dac_bits", "2", "digital_layers", ""));

        GraphBuilder b = new GraphBuilder(13);
        Value in = b.input("x", TensorType.of(DType.FLOAT, 1, CIN, H, W));
        b.output(b.op("Conv", Map.of("group", new Attr.IntAttr(GROUPS), "strides", Attr.IntsAttr.of(2, 2),
                "pads", Attr.IntsAttr.of(1, 0, 1, 1), "dilations", Attr.IntsAttr.of(2, 1)), in,
                b.constant("w", Tensor.ofFloats(new long[] {COUT, CIN / GROUPS, KH, KW}, w))), "y", null);
        Model m = ModelLoader.prepare(b.build());
        List<MappedLayer> layers = MappedLayers.find(m.graph());
        AdcSetting adc = levels == 0 ? AdcSetting.NONE : AdcSetting.uniform(levels, Quantizer.ZERO_TREAD, delta);
        new CimTransform(cfg).apply(m, layers, Map.of(layers.get(0).name(), new LayerSetting(scale, InputMode.UNSIGNED, adc)));
        INDArray y = new Executor(m).run(Nd4j.create(x, new long[] {1, CIN, H, W}, 'c'))[0];

        double[] expected = reference(w, x, scale, levels, delta);
        float[] actual = y.dup('c').data().asFloat();
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "output " + i);
        }
    }

    /** CIM-SPEC read literally: Bw = 4, c = 2 (S = 2), Ba = 4, d = 2 (2 planes), R = 3, flat rows (cin, kh, kw). */
    private static double[] reference(float[] w, float[] x, float sx, int levels, double delta) {
        int per = (CIN / GROUPS) * KH * KW;
        int[] q = new int[w.length];
        double[] sw = new double[COUT];
        for (int n = 0; n < COUT; n++) {
            float max = 0;
            for (int k = 0; k < per; k++) {
                max = Math.max(max, Math.abs(w[n * per + k]));
            }
            float s = max / 7;
            sw[n] = s;
            for (int k = 0; k < per; k++) {
                q[n * per + k] = (int) Math.max(-7, Math.min(7, Math.rint(w[n * per + k] / s)));
            }
        }
        int[] a = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            a[i] = (int) Math.max(0, Math.min(15, Math.rint(x[i] / sx)));
        }
        int oh = (H + 1 + 1 - ((KH - 1) * 2 + 1)) / 2 + 1;
        int ow = (W + 0 + 1 - KW) / 2 + 1;
        double[] y = new double[COUT * oh * ow];
        for (int n = 0; n < COUT; n++) {
            int g = n / (COUT / GROUPS);
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double acc = 0;
                    for (int t = 0; t * 3 < per; t++) {
                        for (int j = 0; j < 2; j++) {
                            for (int i = 0; i < 2; i++) {
                                long ps = 0;
                                for (int k = t * 3; k < Math.min(per, t * 3 + 3); k++) {
                                    int ci = k / (KH * KW);
                                    int ky = (k / KW) % KH;
                                    int kx = k % KW;
                                    int iy = oy * 2 - 1 + ky * 2;
                                    int ix = ox * 2 + kx;
                                    if (iy < 0 || iy >= H || ix < 0 || ix >= W) {
                                        continue;
                                    }
                                    int code = a[(g * (CIN / GROUPS) + ci) * H * W + iy * W + ix];
                                    int digitA = (code >> (2 * i)) & 3;
                                    int qq = q[n * per + k];
                                    int slice = Integer.signum(qq) * ((Math.abs(qq) >> (2 * j)) & 3);
                                    ps += (long) digitA * slice;
                                }
                                acc += Math.pow(4, j) * Math.pow(4, i) * adc(ps, levels, delta);
                            }
                        }
                    }
                    y[(n * oh + oy) * ow + ox] = sw[n] * sx * acc;
                }
            }
        }
        return y;
    }

    private static double adc(long v, int levels, double delta) {
        if (levels == 0) {
            return v;
        }
        double lo = levels % 2 == 1 ? -(levels - 1) / 2.0 : -levels / 2.0;
        double hi = levels % 2 == 1 ? (levels - 1) / 2.0 : levels / 2.0 - 1;
        return delta * Math.max(lo, Math.min(hi, Math.rint(v / delta)));
    }
}
