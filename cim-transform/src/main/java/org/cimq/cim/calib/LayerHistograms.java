package org.cimq.cim.calib;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Counts of the integer partial sums of one mapped layer, per array t, input plane p and weight
 * slice j, over the values [−bound, bound] (the bound grows when a larger |value| arrives);
 * optionally also per column: per array t, slice j, channel c (the array's output channels,
 * reference columns included, in the order of its partial sums) and plane p. Memory depends on
 * the layer's shape and the bound, not on how many partial sums were counted. The shift-add
 * weights of planes and slices come along, for the output-domain objective.
 */
public final class LayerHistograms {
    private final String layer;
    private final double[] planeWeights;
    private final double[] sliceWeights;
    private final boolean columns;
    private final long[][][] arrays;
    private final long[][][] perColumn;
    private final int[] channels;
    private int bound;

    /**
     * @param layer        the layer's name
     * @param arrayCount   arrays (row tiles) of the layer
     * @param planeWeights shift-add weight of each input plane
     * @param sliceWeights shift-add weight of each weight slice
     * @param bound        the initial largest |partial sum| counted, ≥ 0
     * @param columns      whether to count per column as well
     */
    public LayerHistograms(String layer, int arrayCount, double[] planeWeights, double[] sliceWeights, int bound,
                           boolean columns) {
        this.layer = layer;
        this.planeWeights = planeWeights.clone();
        this.sliceWeights = sliceWeights.clone();
        this.columns = columns;
        this.bound = Math.max(bound, 0);
        this.arrays = new long[arrayCount][][];
        this.perColumn = new long[arrayCount][][];
        this.channels = new int[arrayCount];
    }

    /**
     * Counts the partial sums {@code ps[p, j, ...y]} of array {@code t}; {@code channelAxis} is the
     * axis of {@code ps} that runs over the array's columns. Values must be integers.
     */
    public void add(int t, INDArray ps, int channelAxis) {
        long[] s = ps.shape();
        if (s[0] != planes() || s[1] != slices()) {
            throw new IllegalArgumentException("layer '" + layer + "', array " + t + ": partial sums "
                    + java.util.Arrays.toString(s) + " do not match " + planes() + " planes and " + slices() + " slices");
        }
        int n = (int) s[channelAxis];
        long inner = 1;
        for (int a = channelAxis + 1; a < s.length; a++) {
            inner *= s[a];
        }
        if (arrays[t] == null) {
            channels[t] = n;
            arrays[t] = new long[planes() * slices()][2 * bound + 1];
            perColumn[t] = columns ? new long[slices() * n * planes()][2 * bound + 1] : null;
        }
        float[] d = (ps.ordering() == 'c' && !ps.isView() ? ps : ps.dup('c')).data().asFloat();
        int max = 0;
        for (float v : d) {
            max = Math.max(max, (int) Math.abs(v));
        }
        if (max > bound) {
            grow(Math.max(max, 2 * bound));
        }
        int block = d.length / (planes() * slices());
        for (int p = 0; p < planes(); p++) {
            for (int j = 0; j < slices(); j++) {
                long[] h = arrays[t][p * slices() + j];
                int base = (p * slices() + j) * block;
                for (int i = 0; i < block; i++) {
                    int v = (int) d[base + i] + bound;
                    h[v]++;
                    if (columns) {
                        int c = (int) ((i / inner) % n);
                        perColumn[t][(j * n + c) * planes() + p][v]++;
                    }
                }
            }
        }
    }

    /**
     * Adds array t's counts made elsewhere (the fused kernel's {@code count_partial_sums}):
     * {@code counts[(p · slices + j) · (2·countBound+1) + v + countBound]}, and when this object counts per column,
     * {@code columnCounts[((j · columns + c) · planes + p) · (2·countBound+1) + v + countBound]} for the array's
     * {@code columns} columns.
     */
    public void addCounts(int t, long[] counts, long[] columnCounts, int columns, int countBound) {
        int width = 2 * countBound + 1;
        if (counts.length != planes() * slices() * width || (this.columns && (columnCounts == null
                || columnCounts.length != (long) slices() * columns * planes() * width))) {
            throw new IllegalArgumentException("layer '" + layer + "', array " + t + ": counts of " + counts.length
                    + " values do not match " + planes() + " planes x " + slices() + " slices x " + width + " values"
                    + (this.columns ? " (or per-column counts are missing)" : ""));
        }
        if (arrays[t] == null) {
            channels[t] = columns;
            arrays[t] = new long[planes() * slices()][2 * bound + 1];
            perColumn[t] = this.columns ? new long[slices() * columns * planes()][2 * bound + 1] : null;
        } else if (channels[t] != columns) {
            throw new IllegalArgumentException("layer '" + layer + "', array " + t + ": " + columns + " columns, earlier "
                    + channels[t]);
        }
        int max = 0;
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] != 0) {
                max = Math.max(max, Math.abs(k % width - countBound));
            }
        }
        if (max > bound) {
            grow(Math.max(max, 2 * bound));
        }
        for (int h = 0; h < planes() * slices(); h++) {
            addShifted(arrays[t][h], counts, h * width, width, countBound);
        }
        if (this.columns) {
            for (int h = 0; h < perColumn[t].length; h++) {
                addShifted(perColumn[t][h], columnCounts, h * width, width, countBound);
            }
        }
    }

    private void addShifted(long[] into, long[] from, int at, int width, int fromBound) {
        for (int k = 0; k < width; k++) {
            long c = from[at + k];
            if (c != 0) {
                into[k - fromBound + bound] += c;
            }
        }
    }

    private void grow(int newBound) {
        for (long[][][] set : new long[][][][] {arrays, perColumn}) {
            for (long[][] hs : set) {
                if (hs == null) {
                    continue;
                }
                for (int k = 0; k < hs.length; k++) {
                    long[] g = new long[2 * newBound + 1];
                    System.arraycopy(hs[k], 0, g, newBound - bound, hs[k].length);
                    hs[k] = g;
                }
            }
        }
        bound = newBound;
    }

    public String layer() {
        return layer;
    }

    public int arrays() {
        return arrays.length;
    }

    public int planes() {
        return planeWeights.length;
    }

    public int slices() {
        return sliceWeights.length;
    }

    /** The columns (channels) of array t; 0 before any partial sum of it was counted. */
    public int channels(int t) {
        return channels[t];
    }

    /** Counts run over [−bound, bound]: index v + bound. */
    public int bound() {
        return bound;
    }

    public boolean hasColumns() {
        return columns;
    }

    public double planeWeight(int p) {
        return planeWeights[p];
    }

    public double sliceWeight(int j) {
        return sliceWeights[j];
    }

    /** Counts of array t, plane p, slice j (a copy; all zero before array t saw a partial sum). */
    public long[] counts(int t, int p, int j) {
        return arrays[t] == null ? new long[2 * bound + 1] : arrays[t][p * slices() + j].clone();
    }

    /** Counts of array t, slice j, channel c, plane p (a copy); needs {@link #hasColumns()}. */
    public long[] columnCounts(int t, int j, int c, int p) {
        if (!columns) {
            throw new IllegalStateException("layer '" + layer + "': per-column counts were not collected");
        }
        return perColumn[t][(j * channels[t] + c) * planes() + p].clone();
    }

    /** Partial sums counted in all. */
    public long total() {
        long n = 0;
        for (long[][] hs : arrays) {
            if (hs != null) {
                for (long[] h : hs) {
                    for (long c : h) {
                        n += c;
                    }
                }
            }
        }
        return n;
    }
}
