package org.cimq.runtime.kernels;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The 2-D convolution written from its definition (double accumulation), for tests of the fast ones. */
final class NaiveConv {
    private NaiveConv() {
    }

    /** A c-order float32 array of {@code shape} with standard normal values. */
    static INDArray random(Random r, long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Nd4j.create(v, shape, 'c');
    }

    /** Random operands of a convolution: input x, weights w, bias b (or null). */
    record Operands(INDArray x, INDArray w, INDArray b) {
    }

    /** x of {@code xShape}, w of {@code wShape} and, if {@code bias}, b of w's output channels, from one seeded stream. */
    static Operands operands(long seed, long[] xShape, long[] wShape, boolean bias) {
        Random r = new Random(seed);
        INDArray x = random(r, xShape);
        INDArray w = random(r, wShape);
        return new Operands(x, w, bias ? random(r, wShape[0]) : null);
    }

    /**
     * y[n,o,i,j] = b[o] + sum over c in o's group, kh, kw of x[n,c,i·s−p+kh·d, j·s−p+kw·d]·w[o,c',kh,kw]
     * (zero outside x), c order; s, p (symmetric), d as {H, W}.
     */
    static float[] conv(INDArray x, INDArray w, INDArray b, long[] s, long[] p, long[] d, int group, long[] outShape) {
        float[] xs = x.dup('c').data().asFloat();
        float[] ws = w.dup('c').data().asFloat();
        int n = (int) x.size(0), c = (int) x.size(1), h = (int) x.size(2), wd = (int) x.size(3);
        int o = (int) w.size(0), cg = (int) w.size(1), kh = (int) w.size(2), kw = (int) w.size(3);
        int oh = (int) outShape[2], ow = (int) outShape[3];
        int og = o / group;
        float[] y = new float[n * o * oh * ow];
        for (int in = 0; in < n; in++) {
            for (int oc = 0; oc < o; oc++) {
                int g = oc / og;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = b == null ? 0 : b.getDouble(oc);
                        for (int ci = 0; ci < cg; ci++) {
                            for (int a = 0; a < kh; a++) {
                                for (int e = 0; e < kw; e++) {
                                    int yy = (int) (i * s[0] - p[0] + a * d[0]);
                                    int xx = (int) (j * s[1] - p[1] + e * d[1]);
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < wd) {
                                        acc += (double) xs[((in * c + g * cg + ci) * h + yy) * wd + xx]
                                                * ws[((oc * cg + ci) * kh + a) * kw + e];
                                    }
                                }
                            }
                        }
                        y[((in * o + oc) * oh + i) * ow + j] = (float) acc;
                    }
                }
            }
        }
        return y;
    }
}
