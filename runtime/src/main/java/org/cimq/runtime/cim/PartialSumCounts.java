package org.cimq.runtime.cim;

import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Histograms of a fused layer's integer partial sums, as {@link FusedLayerKernel} counts them
 * when its node has {@code count_partial_sums} set (1: per array, plane and slice; 2: also per
 * column): counts over [−bound, bound] at index {@code ps + bound}, in the layouts
 * [arrays, planes, slices, 2·bound+1] and [arrays, slices, columns, planes, 2·bound+1] (columns:
 * the arrays' output columns, reference columns included, in the order of the slices constants).
 * Every partial sum the reference {@code CimArray} kernels would compute is counted once,
 * including those of positions whose window lies on padding.
 */
final class PartialSumCounts {
    private final int planes;
    private final int slices;
    private final int columns;
    private final int bound;
    private final int width;
    private final long[] counts;
    private final long[] perColumn;

    PartialSumCounts(int arrays, int planes, int slices, int columns, int bound, boolean perColumn) {
        this.planes = planes;
        this.slices = slices;
        this.columns = columns;
        this.bound = bound;
        this.width = 2 * bound + 1;
        long size = (long) arrays * planes * slices * width;
        long columnSize = perColumn ? size * columns : 0;
        if (columnSize > Integer.MAX_VALUE - 8) {
            throw new KernelException("per-column partial-sum counts of " + arrays + " arrays x " + columns + " columns x "
                    + planes + " planes x " + slices + " slices x " + width + " values exceed one Java array");
        }
        this.counts = new long[(int) size];
        this.perColumn = perColumn ? new long[(int) columnSize] : null;
    }

    /** An empty twin, for one thread's share of the work. */
    PartialSumCounts emptyCopy() {
        return new PartialSumCounts(counts.length / (planes * slices * width), planes, slices, columns, bound, perColumn != null);
    }

    /** Index of partial sum 0 of array t, plane i, slice j in {@link #counts()}. */
    int zeroIndex(int t, int i, int j) {
        return ((t * planes + i) * slices + j) * width + bound;
    }

    /** Index of partial sum 0 of array t, slice j, column n, plane i in {@link #columnCounts()}; -1 without them. */
    int columnZeroIndex(int t, int j, int n, int i) {
        return perColumn == null ? -1 : (((t * slices + j) * columns + n) * planes + i) * width + bound;
    }

    long[] counts() {
        return counts;
    }

    /** The per-column counts, or null. */
    long[] columnCounts() {
        return perColumn;
    }

    /** Counts partial sum {@code ps} of array t, plane i, slice j, column n. */
    void count(int t, int i, int j, int n, int ps) {
        counts[((t * planes + i) * slices + j) * width + ps + bound]++;
        if (perColumn != null) {
            perColumn[(((t * slices + j) * columns + n) * planes + i) * width + ps + bound]++;
        }
    }

    /** Adds {@code other}'s counts (same shape) to these. */
    synchronized void add(PartialSumCounts other) {
        for (int k = 0; k < counts.length; k++) {
            counts[k] += other.counts[k];
        }
        if (perColumn != null) {
            for (int k = 0; k < perColumn.length; k++) {
                perColumn[k] += other.perColumn[k];
            }
        }
    }

    /** The counts as the kernel's extra outputs (int64). */
    INDArray[] outputs() {
        int arrays = counts.length / (planes * slices * width);
        INDArray a = Nd4j.createFromArray(counts).reshape(arrays, planes, slices, width);
        if (perColumn == null) {
            return new INDArray[] {a};
        }
        return new INDArray[] {a, Nd4j.createFromArray(perColumn).reshape(arrays, slices, columns, planes, width)};
    }
}
