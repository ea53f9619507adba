package org.cimq.cim.calib;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.CimTransformException;
import org.cimq.cim.config.Granularity;
import org.cimq.cim.config.Quantizer;

/**
 * ADC steps from partial-sum histograms ({@link LayerHistograms}), no further pass over data.
 * Methods:
 * <ul>
 * <li>{@code minmax}: Δ from the largest |partial sum| counted ({@link MinMaxSteps#delta}).</li>
 * <li>{@code sigma3}: Δ from mean ± 3σ of the partial sums counted, the range reaching
 *     max(|μ − 3σ|, |μ + 3σ|) as minmax reaches max|v|.</li>
 * <li>{@code mse}: the Δ minimising the output-domain error
 *     Σ_t Σ_p Σ_j w_pj Σ_v h_tpj(v)·(Q(v) − v)², found exhaustively ({@link StepSearch}), where
 *     w_pj = (plane_weight[p]·slice_weight[j])², the square of the factor the partial sum of plane
 *     p and slice j carries in the output (CIM-SPEC's 4^(i·d + j·c) for unsigned inputs and the
 *     differential scheme; signed planes and slices of the other schemes carry their actual
 *     weights). With {@code plain}, w_pj = 1: the partial-sum MSE.</li>
 * <li>{@code mse-network}: mse with one Δ for all layers, the objective summed over layers.</li>
 * </ul>
 * Granularities: one Δ for the network (statistics or objective pooled over every layer), per
 * layer, per array t, or per column (array t, slice j, channel c; needs per-column counts). The
 * sums over t, p, j and c are taken over whatever a Δ covers.
 */
public final class RangeSearch {
    /** How Δ is chosen. */
    public enum Method {
        MINMAX("minmax"), SIGMA3("sigma3"), MSE("mse"), MSE_NETWORK("mse-network");

        private final String id;

        Method(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** The method named {@code value} (case-insensitive); else an error listing the ids. */
        public static Method parse(String value) {
            for (Method m : values()) {
                if (m.id.equalsIgnoreCase(value)) {
                    return m;
                }
            }
            throw new CimTransformException("calibration method '" + value + "' is not one of minmax, sigma3, mse, mse-network");
        }
    }

    private RangeSearch() {
    }

    /** The ADC setting of every layer of {@code hists} (same order); mse-network uses granularity network whatever {@code g}. */
    public static Map<String, AdcSetting> run(Map<String, LayerHistograms> hists, Method method, Granularity g, int levels,
                                              Quantizer q, boolean plain) {
        if (method == Method.MSE_NETWORK) {
            g = Granularity.NETWORK;
        }
        Map<String, AdcSetting> out = new LinkedHashMap<>();
        if (g == Granularity.NETWORK) {
            double[] pooled = new double[1];
            for (LayerHistograms h : hists.values()) {
                pooled = plus(pooled, collapse(h, -1, method == Method.MINMAX || method == Method.SIGMA3 || plain));
            }
            double d = step(pooled, method, levels, q);
            hists.keySet().forEach(l -> out.put(l, AdcSetting.uniform(levels, q, d)));
            return out;
        }
        boolean stats = method == Method.MINMAX || method == Method.SIGMA3;
        for (LayerHistograms h : hists.values()) {
            AdcSetting s = switch (g) {
                case LAYER -> AdcSetting.uniform(levels, q, step(collapse(h, -1, stats || plain), method, levels, q));
                case ARRAY -> {
                    double[] d = new double[h.arrays()];
                    for (int t = 0; t < d.length; t++) {
                        d[t] = step(collapse(h, t, stats || plain), method, levels, q);
                    }
                    yield new AdcSetting(levels, q, 0, d, null);
                }
                case COLUMN -> {
                    if (!h.hasColumns()) {
                        throw new CimTransformException("layer '" + h.layer() + "': granularity column needs per-column counts");
                    }
                    double[][][] d = new double[h.arrays()][h.slices()][];
                    for (int t = 0; t < h.arrays(); t++) {
                        for (int j = 0; j < h.slices(); j++) {
                            d[t][j] = new double[h.channels(t)];
                            for (int c = 0; c < h.channels(t); c++) {
                                d[t][j][c] = step(column(h, t, j, c, stats || plain), method, levels, q);
                            }
                        }
                    }
                    yield new AdcSetting(levels, q, 0, null, d);
                }
                default -> throw new IllegalStateException(g.id());
            };
            out.put(h.layer(), s);
        }
        return out;
    }

    /** The objective of {@code mse} (or its plain form) for layer {@code h} under {@code s}, whatever the granularity of s. */
    public static double objective(LayerHistograms h, AdcSetting s, boolean plain) {
        double e = 0;
        for (int t = 0; t < h.arrays(); t++) {
            if (s.columnDeltas() == null) {
                float d = (float) (s.arrayDeltas() != null ? s.arrayDeltas()[t] : s.delta());
                e += StepSearch.error(collapse(h, t, plain), d, s.levels(), s.quantizer());
                continue;
            }
            for (int j = 0; j < h.slices(); j++) {
                for (int c = 0; c < h.channels(t); c++) {
                    e += StepSearch.error(column(h, t, j, c, plain), (float) s.columnDeltas()[t][j][c], s.levels(), s.quantizer());
                }
            }
        }
        return e;
    }

    /** The weighted counts of array t (all arrays for t = −1) over [−bound, bound], planes and slices pooled. */
    static double[] collapse(LayerHistograms h, int t, boolean plain) {
        double[] out = new double[2 * h.bound() + 1];
        for (int a = t < 0 ? 0 : t; a < (t < 0 ? h.arrays() : t + 1); a++) {
            for (int p = 0; p < h.planes(); p++) {
                for (int j = 0; j < h.slices(); j++) {
                    accumulate(out, h.counts(a, p, j), weight(h, p, j, plain));
                }
            }
        }
        return out;
    }

    /** The weighted counts of column (t, j, c), planes pooled. */
    static double[] column(LayerHistograms h, int t, int j, int c, boolean plain) {
        double[] out = new double[2 * h.bound() + 1];
        for (int p = 0; p < h.planes(); p++) {
            accumulate(out, h.columnCounts(t, j, c, p), weight(h, p, j, plain));
        }
        return out;
    }

    private static double weight(LayerHistograms h, int p, int j, boolean plain) {
        double w = h.planeWeight(p) * h.sliceWeight(j);
        return plain ? 1 : w * w;
    }

    private static void accumulate(double[] out, long[] counts, double w) {
        for (int i = 0; i < counts.length; i++) {
            out[i] += w * counts[i];
        }
    }

    /** a + b, the shorter centred inside the longer. */
    private static double[] plus(double[] a, double[] b) {
        double[] big = a.length >= b.length ? a.clone() : b.clone();
        double[] small = a.length >= b.length ? b : a;
        int shift = (big.length - small.length) / 2;
        for (int i = 0; i < small.length; i++) {
            big[i + shift] += small[i];
        }
        return big;
    }

    private static double step(double[] h, Method method, int levels, Quantizer q) {
        int m = (h.length - 1) / 2;
        return switch (method) {
            case MINMAX -> {
                int max = 0;
                for (int i = 0; i < h.length; i++) {
                    if (h[i] != 0) {
                        max = Math.max(max, Math.abs(i - m));
                    }
                }
                yield MinMaxSteps.delta(max, levels, q);
            }
            case SIGMA3 -> {
                double n = 0;
                double sum = 0;
                double sq = 0;
                for (int i = 0; i < h.length; i++) {
                    n += h[i];
                    sum += h[i] * (i - m);
                }
                double mean = n > 0 ? sum / n : 0;
                for (int i = 0; i < h.length; i++) {
                    sq += h[i] * (i - m - mean) * (i - m - mean);
                }
                double sigma = n > 0 ? Math.sqrt(sq / n) : 0;
                yield MinMaxSteps.delta(Math.max(Math.abs(mean - 3 * sigma), Math.abs(mean + 3 * sigma)), levels, q);
            }
            case MSE, MSE_NETWORK -> StepSearch.best(h, levels, q).delta();
        };
    }
}
