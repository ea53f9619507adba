package org.cimq.cim.train;

import org.cimq.ir.Node;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training-mode BatchNormalization's statistics and gradients, as plain loops per channel (axis 1
 * of x [N, C, ...]; channels in parallel, each computed as alone, so results do not depend on the
 * core count): the batch mean μ and population variance σ² over every other axis (in double,
 * as the runtime's kernel computes them), and the reverse pass of y = γ·(x − μ)/sqrt(σ² + ε) + β with
 * μ and σ² functions of x: with x̂ = (x − μ)/sqrt(σ² + ε) and m elements per channel,
 * dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/(m·sqrt(σ² + ε))·(m·dy − Σ dy − x̂·Σ dy·x̂).
 */
final class BatchStatistics {
    private BatchStatistics() {
    }

    /** {μ, σ²} per channel of x. */
    static double[][] of(INDArray x) {
        float[] v = FloatArrays.of(x);
        int c = (int) x.size(1);
        int inner = (int) (x.length() / (x.size(0) * c));
        int images = (int) x.size(0);
        double[][] out = new double[2][c];
        java.util.stream.IntStream.range(0, c).parallel().forEach(ch -> {
            {
                double[] ms = channel(v, ch, c, inner, images);
                out[0][ch] = ms[0];
                out[1][ch] = ms[1];
            }
        });
        return out;
    }

    /** Mean and population variance of one channel (two passes, for accuracy). */
    private static double[] channel(float[] v, int ch, int c, int inner, int images) {
        double sum = 0;
        for (int n = 0; n < images; n++) {
            int base = (n * c + ch) * inner;
            for (int i = 0; i < inner; i++) {
                sum += v[base + i];
            }
        }
        long m = (long) images * inner;
        double mean = sum / m;
        double sq = 0;
        for (int n = 0; n < images; n++) {
            int base = (n * c + ch) * inner;
            for (int i = 0; i < inner; i++) {
                double d = v[base + i] - mean;
                sq += d * d;
            }
        }
        return new double[] {mean, sq / m};
    }

    /** {dx, dγ, dβ} of the training-mode BatchNormalization {@code n} with input x and scale γ, at output gradient dy. */
    static INDArray[] backward(Node n, INDArray x, INDArray gamma, INDArray dy) {
        double eps = n.attrFloat("epsilon", 1e-5f);
        float[] xv = FloatArrays.of(x);
        float[] g = FloatArrays.of(dy);
        float[] gm = FloatArrays.of(gamma);
        int c = (int) x.size(1);
        int inner = (int) (x.length() / (x.size(0) * c));
        int images = (int) x.size(0);
        long m = (long) images * inner;
        float[] dx = new float[xv.length];
        float[] dGamma = new float[c];
        float[] dBeta = new float[c];
        java.util.stream.IntStream.range(0, c).parallel().forEach(ch -> {
            {
                double[] ms = channel(xv, ch, c, inner, images);
                double inv = 1 / Math.sqrt(ms[1] + eps);
                double sumDy = 0;
                double sumDyXhat = 0;
                for (int b = 0; b < images; b++) {
                    int base = (b * c + ch) * inner;
                    for (int i = 0; i < inner; i++) {
                        sumDy += g[base + i];
                        sumDyXhat += g[base + i] * ((xv[base + i] - ms[0]) * inv);
                    }
                }
                double k = gm[ch] * inv / m;
                for (int b = 0; b < images; b++) {
                    int base = (b * c + ch) * inner;
                    for (int i = 0; i < inner; i++) {
                        double xhat = (xv[base + i] - ms[0]) * inv;
                        dx[base + i] = (float) (k * (m * g[base + i] - sumDy - xhat * sumDyXhat));
                    }
                }
                dGamma[ch] = (float) sumDyXhat;
                dBeta[ch] = (float) sumDy;
            }
        });
        return new INDArray[] {FloatArrays.array(dx, x.shape()), FloatArrays.array(dGamma, gamma.shape()),
            FloatArrays.array(dBeta, gamma.shape())};
    }
}
