package org.cimq.cim.train;

import org.cimq.cim.WeightSlices;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Quantizer;
import org.cimq.cim.config.WeightScheme;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exact straight-through gradient of a mapped layer's accumulation ({@link Backward#EXACT}):
 * what the {@link Backward#ARRAYS} graph computes, without keeping its partial-sum tensors. With
 * G = dL/d(acc) (the layer's output gradient times s_w[n]·s_x), the ADC passing the gradient of a
 * partial sum only where it is inside its range (m[t, i, j] = 1 where lo &lt; ps/Δ &lt; hi, strictly,
 * as SameDiff's clipByValue), plane i taking 1/(P·2^(i·d)) of the input code's gradient and slice j
 * 1/(S·2^(j·c)) of the weight code's (CimLayerOps), the code gradients reduce to two counts per
 * array t, output position r and channel n: C[t, j] = Σ_i m (planes in range for slice j) and
 * E[t, i] = Σ_j m (slices in range for plane i):
 * <pre>
 *   dL/da[r, k] = (1/P)·Σ_t Σ_j 2^(j·c) · Σ_n G[r, n]·C[t, j, r, n]·D_j[k, n]      (k in array t's rows)
 *   dL/dq[k, n] = (1/S)·Σ_t Σ_i 2^(i·d) · Σ_r a_i[r, k]·G[r, n]·E[t, i, r, n]
 * </pre>
 * (a_i: plane i of the input codes in im2col layout, D_j: slice j of the weight codes). Both are
 * one matrix product per array over stacked planes or slices; the counts come from the partial sums
 * recomputed exactly by popcounts of bit-packed rows ({@link InRangeCounts}), as the array would
 * form them. Work goes in blocks of output positions, so memory stays a few MB per block whatever
 * the layer. Differential weights, the
 * zero-tread ADC, unsigned inputs; one Δ per layer, array or column. With no partial sum clipped
 * the gradients are the fake-quantized layer's.
 */
final class ExactSte {
    /** Output positions (im2col rows) per block. */
    private static final int BLOCK = 2048;
    private final int planes;
    private final int slices;
    private final int dacBits;
    private final int cellBits;
    private final WeightSlices weightSlices;

    /** dL/d(input codes) in the layer input's layout and dL/d(weight codes) as [N, K]. */
    record CodeGrads(float[] input, float[] weight) { }

    /** Refuses, naming the setting, what this gradient does not model. */
    ExactSte(CimConfig cfg) {
        checkSupported(cfg);
        this.dacBits = cfg.dacBits();
        this.cellBits = cfg.cellBits();
        this.planes = (cfg.inputBits() + dacBits - 1) / dacBits;
        this.weightSlices = new WeightSlices(cfg.weightScheme(), cfg.weightBits(), cellBits);
        this.slices = weightSlices.count();
    }

    /** Throws a {@link TrainingException} naming the setting when {@code cfg} asks for what this gradient does not model. */
    static void checkSupported(CimConfig cfg) {
        if (cfg.weightScheme() != WeightScheme.DIFFERENTIAL) {
            throw new TrainingException("backward " + Backward.EXACT.id() + " models differential weights only, got weight scheme "
                    + cfg.weightScheme().id());
        }
        if (cfg.quantizer() != Quantizer.ZERO_TREAD) {
            throw new TrainingException("backward " + Backward.EXACT.id() + " models the zero-tread ADC only, got quantizer "
                    + cfg.quantizer().id());
        }
    }

    /**
     * A Conv (group 1, symmetric pads): {@code a} the input codes [B, C, H, W], {@code q} the weight codes [N, C, kh, kw],
     * {@code g} = dL/d(acc) [B, N, oH, oW].
     */
    CodeGrads conv(Conv2DConfig conf, float[] a, long[] aShape, float[] q, int n, float[] g, long[] gShape, LayerQuant lq) {
        Im2col cols = new Im2col(conf, aShape, gShape);
        int positions = (int) (gShape[2] * gShape[3]);
        float[] dA = new float[a.length];
        float[] dQ = run(cols.rows(), cols.k, q, n, lq, (r0, m, dst) -> cols.fill(a, r0, m, dst),
            (r0, m, dst) -> {
                for (int r = 0; r < m; r++) {
                    int b = (r0 + r) / positions;
                    int p = (r0 + r) % positions;
                    for (int c = 0; c < n; c++) {
                        dst[r * n + c] = g[(b * n + c) * positions + p];
                    }
                }
            },
            (r0, m, dCols) -> cols.scatter(dCols, r0, m, dA));
        return new CodeGrads(dA, dQ);
    }

    /** A Gemm or MatMul: {@code a} the input codes [B, K], {@code q} the weight codes [N, K], {@code g} = dL/d(acc) [B, N]. */
    CodeGrads matrix(float[] a, int batch, int k, float[] q, int n, float[] g, LayerQuant lq) {
        float[] dA = new float[a.length];
        float[] dQ = run(batch, k, q, n, lq, (r0, m, dst) -> System.arraycopy(a, r0 * k, dst, 0, m * k),
            (r0, m, dst) -> System.arraycopy(g, r0 * n, dst, 0, m * n),
            (r0, m, dCols) -> System.arraycopy(dCols, 0, dA, r0 * k, m * k));
        return new CodeGrads(dA, dQ);
    }

    /** Writes or reads rows [r0, r0 + m) of an im2col-layout matrix. */
    private interface Rows {
        void apply(int r0, int m, float[] buffer);
    }

    /** The shared part: {@code rows} im2col rows of K codes, weight codes q [N, K]; returns dL/dq [N, K]. */
    private float[] run(int rows, int k, float[] q, int n, LayerQuant lq, Rows input, Rows gradient, Rows dInput) {
        int arrays = lq.arrays();
        INDArray[] dT = new INDArray[arrays];
        INDArray[] dq = new INDArray[arrays];
        InRangeCounts[] counts = new InRangeCounts[arrays];
        for (int t = 0; t < arrays; t++) {
            int k0 = lq.rowStarts()[t];
            int kt = lq.rowStarts()[t + 1] - k0;
            dT[t] = sliceMatrix(q, n, k, k0, k0 + kt).transpose().dup('c');
            dq[t] = Nd4j.zeros(dT[t].dataType(), kt, n);
            int[][] range = inside(lq, t, n);
            counts[t] = new InRangeCounts(q, n, k, k0, kt, planes, dacBits, weightSlices, cellBits, range[0], range[1]);
        }
        // Every block has the same size (the last one padded with zero rows, whose G is zero): the INDArrays the
        // matrix products read and write are allocated once per call.
        int block = Math.min(BLOCK, rows);
        float[] cols = new float[block * k];
        float[] g = new float[block * n];
        float[] dCols = new float[block * k];
        float[] h = new float[block * slices * n];
        float[] f = new float[planes * block * n];
        INDArray hArr = Nd4j.createUninitialized(DataType.FLOAT, new long[] {block, (long) slices * n}, 'c');
        INDArray fArr = Nd4j.createUninitialized(DataType.FLOAT, new long[] {(long) planes * block, n}, 'c');
        INDArray[] aArr = new INDArray[arrays];
        INDArray[] dcArr = new INDArray[arrays];
        int widest = 0;
        for (int t = 0; t < arrays; t++) {
            int kt = lq.rowStarts()[t + 1] - lq.rowStarts()[t];
            aArr[t] = Nd4j.createUninitialized(DataType.FLOAT, new long[] {(long) planes * block, kt}, 'c');
            dcArr[t] = Nd4j.createUninitialized(DataType.FLOAT, new long[] {block, kt}, 'c');
            widest = Math.max(widest, kt);
        }
        float[] aVals = new float[planes * block * widest];
        float[] dcv = new float[block * widest];
        for (int r0 = 0; r0 < rows; r0 += block) {
            int m = Math.min(block, rows - r0);
            input.apply(r0, m, cols);
            gradient.apply(r0, m, g);
            if (m < block) {
                java.util.Arrays.fill(cols, m * k, block * k, 0f);
                java.util.Arrays.fill(g, m * n, block * n, 0f);
            }
            java.util.Arrays.fill(dCols, 0f);
            for (int t = 0; t < arrays; t++) {
                int k0 = lq.rowStarts()[t];
                int kt = lq.rowStarts()[t + 1] - k0;
                counts[t].weigh(cols, block, k, g, h, f);
                planeMatrix(cols, block, k, k0, kt, aVals);
                put(aArr[t], aVals);
                put(hArr, h);
                put(fArr, f);
                Nd4j.gemm(hArr, dT[t], dcArr[t], false, false, 1.0, 0.0);
                get(dcArr[t], dcv);
                ParallelLoops.forRange(m, (from, to) -> {
                    for (int r = from; r < to; r++) {
                        for (int kk = 0; kk < kt; kk++) {
                            dCols[r * k + k0 + kk] += dcv[r * kt + kk];
                        }
                    }
                });
                Nd4j.gemm(aArr[t], fArr, dq[t], true, false, 1.0, 1.0);
            }
            dInput.apply(r0, m, dCols);
        }
        float[] out = new float[n * k];
        for (int t = 0; t < arrays; t++) {
            int k0 = lq.rowStarts()[t];
            float[] v = FloatArrays.of(dq[t]);
            int kt = v.length / n;
            for (int kk = 0; kk < kt; kk++) {
                for (int c = 0; c < n; c++) {
                    out[c * k + k0 + kk] = v[kk * n + c];
                }
            }
        }
        return out;
    }

    /** Slices of the weight codes on rows [k0, k1), stacked by slice: [k1 − k0, S·N], column j·N + n. */
    private INDArray sliceMatrix(float[] q, int n, int k, int k0, int k1) {
        int kt = k1 - k0;
        float[] v = new float[kt * slices * n];
        for (int c = 0; c < n; c++) {
            for (int kk = 0; kk < kt; kk++) {
                int w = (int) q[c * k + k0 + kk];
                for (int j = 0; j < slices; j++) {
                    v[kk * slices * n + j * n + c] = weightSlices.digit(w, j);
                }
            }
        }
        return FloatArrays.array(v, kt, (long) slices * n);
    }

    /** Planes of the codes in columns [k0, k0 + kt) of m im2col rows of K columns, stacked by plane: [P·m, kt], row i·m + r. */
    private void planeMatrix(float[] cols, int m, int k, int k0, int kt, float[] out) {
        int digit = (1 << dacBits) - 1;
        ParallelLoops.forRange(m, (from, to) -> {
            for (int i = 0; i < planes; i++) {
                int shift = i * dacBits;
                for (int r = from; r < to; r++) {
                    int src = r * k + k0;
                    int dst = (i * m + r) * kt;
                    for (int kk = 0; kk < kt; kk++) {
                        out[dst + kk] = ((int) cols[src + kk] >> shift) & digit;
                    }
                }
            }
        });
    }

    /** Copies v into the c-order float32 array z (all of it), with no allocation. */
    private static void put(INDArray z, float[] v) {
        new FloatPointer(z.data().addressPointer()).put(v, 0, (int) z.length());
        java.lang.ref.Reference.reachabilityFence(z);
    }

    /** Copies the c-order float32 array z into v, with no allocation. */
    private static void get(INDArray z, float[] v) {
        new FloatPointer(z.data().addressPointer()).get(v, 0, (int) z.length());
        java.lang.ref.Reference.reachabilityFence(z);
    }

    /** Per column j·N + c of array t: the least and the greatest integer p with lo &lt; (float) p / Δ &lt; hi. */
    private int[][] inside(LayerQuant lq, int t, int n) {
        int levels = lq.levels();
        float lo = levels % 2 == 1 ? -(levels - 1) / 2f : -levels / 2f;
        float hi = levels % 2 == 1 ? (levels - 1) / 2f : levels / 2f - 1;
        int[] min = new int[slices * n];
        int[] max = new int[slices * n];
        for (int j = 0; j < slices; j++) {
            for (int c = 0; c < n; c++) {
                float delta = step(lq, t, j, c);
                int p = (int) Math.floor(lo * (double) delta) - 2;
                while (!((float) p / delta > lo)) {
                    p++;
                }
                int q = (int) Math.ceil(hi * (double) delta) + 2;
                while (!((float) q / delta < hi)) {
                    q--;
                }
                min[j * n + c] = p;
                max[j * n + c] = q;
            }
        }
        return new int[][] {min, max};
    }

    /** Δ of array t, slice j, output channel c (float32, as the ADC node stores it). */
    private static float step(LayerQuant lq, int t, int j, int c) {
        if (lq.columnDeltas() != null) {
            return (float) lq.columnDeltas()[t][j][c];
        }
        return lq.arrayDeltas() != null ? (float) lq.arrayDeltas()[t] : lq.delta();
    }

    /** im2col of a group-1 Conv with symmetric pads: row (b, oy, ox), column (c, ky, kx). */
    private static final class Im2col {
        private final int channels;
        private final int height;
        private final int width;
        private final int kh;
        private final int kw;
        private final int sh;
        private final int sw;
        private final int ph;
        private final int pw;
        private final int dh;
        private final int dw;
        private final int outH;
        private final int outW;
        private final int batch;
        final int k;

        Im2col(Conv2DConfig c, long[] aShape, long[] gShape) {
            batch = (int) aShape[0];
            channels = (int) aShape[1];
            height = (int) aShape[2];
            width = (int) aShape[3];
            kh = (int) c.getKH();
            kw = (int) c.getKW();
            sh = (int) c.getSH();
            sw = (int) c.getSW();
            ph = (int) c.getPH();
            pw = (int) c.getPW();
            dh = (int) c.getDH();
            dw = (int) c.getDW();
            outH = (int) gShape[2];
            outW = (int) gShape[3];
            k = channels * kh * kw;
        }

        int rows() {
            return batch * outH * outW;
        }

        /** Rows [r0, r0 + m) of the im2col matrix of a into dst ([m, K]). */
        void fill(float[] a, int r0, int m, float[] dst) {
            ParallelLoops.forRange(m, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int row = r0 + r;
                    int b = row / (outH * outW);
                    int oy = (row / outW) % outH;
                    int ox = row % outW;
                    int col = r * k;
                    for (int c = 0; c < channels; c++) {
                        for (int y = 0; y < kh; y++) {
                            int iy = oy * sh - ph + y * dh;
                            for (int x = 0; x < kw; x++, col++) {
                                int ix = ox * sw - pw + x * dw;
                                dst[col] = iy >= 0 && iy < height && ix >= 0 && ix < width
                                        ? a[((b * channels + c) * height + iy) * width + ix] : 0f;
                            }
                        }
                    }
                }
            });
        }

        /** Adds rows [r0, r0 + m) of an im2col-layout gradient into dA ([B, C, H, W]), one image per task. */
        void scatter(float[] dCols, int r0, int m, float[] dA) {
            int per = outH * outW;
            int firstImage = r0 / per;
            int lastImage = (r0 + m - 1) / per;
            java.util.stream.IntStream.rangeClosed(firstImage, lastImage).parallel().forEach(b -> {
                int from = Math.max(r0, b * per);
                int to = Math.min(r0 + m, (b + 1) * per);
                for (int row = from; row < to; row++) {
                    int oy = (row / outW) % outH;
                    int ox = row % outW;
                    int col = (row - r0) * k;
                    for (int c = 0; c < channels; c++) {
                        for (int y = 0; y < kh; y++) {
                            int iy = oy * sh - ph + y * dh;
                            for (int x = 0; x < kw; x++, col++) {
                                int ix = ox * sw - pw + x * dw;
                                if (iy >= 0 && iy < height && ix >= 0 && ix < width) {
                                    dA[((b * channels + c) * height + iy) * width + ix] += dCols[col];
                                }
                            }
                        }
                    }
                }
            });
        }
    }
}
