package org.cimq.cim.config;

import java.util.Arrays;

/**
 * The calibrated ADC of one mapped layer: its number of levels L and its step Δ, in units of
 * the integer partial sum (CIM-SPEC, Partial sums and the ADC). Δ comes in one of three forms,
 * matching the granularity of the {@link Ranges} it belongs to:
 * <ul>
 * <li>{@code delta}: one Δ for the layer (granularity network or layer); else NaN;</li>
 * <li>{@code arrayDeltas[t]}: one Δ per array t, the row tile t of CIM-SPEC's
 *     {@code ps[t, j, i, n, p]} (granularity array); else null;</li>
 * <li>{@code columnDeltas[t][k]}: one Δ per column k of array t, where k = n·S + j counts
 *     the layer's N·S columns (output channel n, weight slice j) across all column tiles
 *     (granularity column); else null.</li>
 * </ul>
 * A layer with L ≥ 2 has exactly one form; a layer with L = 0 (no ADC) may have none. Every Δ
 * is finite and > 0. The arrays are copied in and out.
 * <p>{@code inputScale} is optional (NaN when absent): the layer's input scale s_x (CIM-SPEC, Inputs), fixed by the
 * file instead of measured as the activation percentile of the calibration images. Retraining that holds its
 * quantizer writes it, so the retrained weights are evaluated with the very s_x and Δ they were trained against.
 */
public record LayerRange(String node, int levels, double delta, double[] arrayDeltas, double[][] columnDeltas,
                         double inputScale) {

    public LayerRange {
        if (node == null || node.isBlank()) {
            throw new CimConfigException("node: must be a node name, got " + (node == null ? "nothing" : "'" + node + "'"));
        }
        try {
            if (levels != 0 && (levels < 2 || levels > CimConfig.MAX_SIZE)) {
                throw new CimConfigException("levels: must be 0 (no ADC) or an integer from 2 to " + CimConfig.MAX_SIZE
                        + ", got " + levels);
            }
            int forms = (Double.isNaN(delta) ? 0 : 1) + (arrayDeltas == null ? 0 : 1) + (columnDeltas == null ? 0 : 1);
            if (forms > 1) {
                throw new CimConfigException("deltas: give one of a single delta, per-array deltas or per-column deltas");
            }
            if (forms == 0 && levels != 0) {
                throw new CimConfigException("delta: missing, an ADC with " + levels + " levels needs a step");
            }
            if (!Double.isNaN(delta)) {
                positive("delta", delta);
            }
            if (!Double.isNaN(inputScale)) {
                positive("inputScale", inputScale);
            }
            arrayDeltas = arrayDeltas == null ? null : positive("deltas", arrayDeltas);
            if (columnDeltas != null) {
                columnDeltas = nonEmpty("deltas", columnDeltas.clone());
                for (int t = 0; t < columnDeltas.length; t++) {
                    columnDeltas[t] = positive("deltas[" + t + "]", columnDeltas[t]);
                }
            }
        } catch (CimConfigException e) {
            throw e.within("layer '" + node + "'");
        }
    }

    /** A layer with one Δ (granularity network or layer). */
    public static LayerRange single(String node, int levels, double delta) {
        return new LayerRange(node, levels, delta, null, null, Double.NaN);
    }

    /** A layer with one Δ per array. */
    public static LayerRange perArray(String node, int levels, double... deltas) {
        return new LayerRange(node, levels, Double.NaN, deltas, null, Double.NaN);
    }

    /** A layer with one Δ per column of each array. */
    public static LayerRange perColumn(String node, int levels, double[][] deltas) {
        return new LayerRange(node, levels, Double.NaN, null, deltas, Double.NaN);
    }

    /** A layer without ADC (L = 0), which has no Δ. */
    public static LayerRange noAdc(String node) {
        return new LayerRange(node, 0, Double.NaN, null, null, Double.NaN);
    }

    /** This layer with its input scale fixed to {@code scale} (NaN: measured by calibration). */
    public LayerRange withInputScale(double scale) {
        return new LayerRange(node, levels, delta, arrayDeltas, columnDeltas, scale);
    }

    /** True when the file fixes this layer's input scale. */
    public boolean hasInputScale() {
        return !Double.isNaN(inputScale);
    }

    /** The granularity whose form this layer's Δ has (LAYER for a single Δ), or null when it has none. */
    public Granularity form() {
        return !Double.isNaN(delta) ? Granularity.LAYER : arrayDeltas != null ? Granularity.ARRAY
                : columnDeltas != null ? Granularity.COLUMN : null;
    }

    /** The Δ that applies to column k of array t, whatever the form. */
    public double deltaAt(int array, int column) {
        Granularity f = form();
        if (f == null) {
            throw new IllegalStateException("layer '" + node + "' has no ADC step (levels " + levels + ")");
        }
        try {
            return switch (f) {
                case ARRAY -> arrayDeltas[array];
                case COLUMN -> columnDeltas[array][column];
                default -> delta;
            };
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new CimConfigException("layer '" + node + "': no delta for array " + array + ", column " + column, e);
        }
    }

    @Override
    public double[] arrayDeltas() {
        return arrayDeltas == null ? null : arrayDeltas.clone();
    }

    @Override
    public double[][] columnDeltas() {
        if (columnDeltas == null) {
            return null;
        }
        double[][] out = new double[columnDeltas.length][];
        Arrays.setAll(out, t -> columnDeltas[t].clone());
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerRange r && node.equals(r.node) && levels == r.levels
                && Double.compare(delta, r.delta) == 0 && Arrays.equals(arrayDeltas, r.arrayDeltas)
                && Arrays.deepEquals(columnDeltas, r.columnDeltas) && Double.compare(inputScale, r.inputScale) == 0;
    }

    @Override
    public int hashCode() {
        return ((node.hashCode() * 31 + levels) * 31 + Double.hashCode(delta)) * 31
                + Arrays.hashCode(arrayDeltas) * 17 + Arrays.deepHashCode(columnDeltas) + Double.hashCode(inputScale) * 13;
    }

    @Override
    public String toString() {
        return "LayerRange[node=" + node + ", levels=" + levels + ", delta=" + delta + ", arrayDeltas="
                + Arrays.toString(arrayDeltas) + ", columnDeltas=" + Arrays.deepToString(columnDeltas) + ", inputScale=" + inputScale + "]";
    }

    private static double[] positive(String field, double[] deltas) {
        double[] copy = nonEmpty(field, deltas).clone();
        for (int i = 0; i < copy.length; i++) {
            positive(field + "[" + i + "]", copy[i]);
        }
        return copy;
    }

    private static <T> T nonEmpty(String field, T array) {
        if (array == null || java.lang.reflect.Array.getLength(array) == 0) {
            throw new CimConfigException(field + ": must not be empty");
        }
        return array;
    }

    private static void positive(String field, double d) {
        if (!(d > 0 && d < Double.POSITIVE_INFINITY)) {
            throw new CimConfigException(field + ": must be a finite number > 0, got " + d);
        }
    }
}
