package org.cimq.cim.calib;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exact p-th percentile of a stream of floats whose total count N is declared upfront,
 * by numpy's default method ({@code method='linear'}): with the values sorted ascending
 * {@code v[0..N-1]}, {@code h = (N-1)·(p/100)}, the result interpolates linearly between
 * {@code v[floor(h)]} and {@code v[floor(h)+1]}, or is {@code v[N-1]} when {@code h >= N-1}.
 * For finite values the result is bit-identical to
 * {@code numpy.percentile(x.astype(numpy.float64), p)} (numpy's own two-sided lerp is
 * reproduced; numpy on a float32 array rounds its result to float32 instead).
 *
 * <p>Only the top {@code k = N - floor(h)} values can still be those order statistics, so
 * only they are kept, in a primitive float min-heap: memory is 4·k bytes (k = 1,601 for
 * p = 99.99 and N = 16M). In {@link #absolute()} mode the percentile is of |x|; {@link #min},
 * {@link #max} and {@link #negatives} always describe the raw values x.
 *
 * <p>NaN values are counted, never ranked; {@link #result} rejects them, and rejects a stream
 * whose length differs from the declared N. Infinities are ranked; where numpy's lerp would
 * give NaN (0·∞, ∞−∞) the result is the limit instead: {@code v[floor(h)]} when the weight
 * is 0 or both neighbours are equal, otherwise the infinite neighbour (the nearer one when
 * they are −∞ and +∞). Not thread-safe.
 */
public final class PercentileTracker {
    private final double percentile;
    private final long declared;
    private final boolean absolute;
    private final double h;
    private final long lo;
    private final int keep;
    private float[] heap;
    private int size;
    private long count;
    private long nans;
    private long negatives;
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;

    /** Tracks the {@code percentile}-th percentile (0..100) of x over exactly {@code n} values. */
    public PercentileTracker(double percentile, long n) {
        this(percentile, n, false);
    }

    /** As {@link #PercentileTracker(double, long)}, of |x| when {@code absolute}. */
    public PercentileTracker(double percentile, long n, boolean absolute) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
        }
        if (n < 1) {
            throw new IllegalArgumentException("the declared value count must be at least 1, got " + n);
        }
        this.percentile = percentile;
        this.declared = n;
        this.absolute = absolute;
        this.h = (n - 1) * (percentile / 100);
        this.lo = h >= n - 1 ? n - 1 : (long) Math.floor(h);
        long k = n - lo;
        if (k > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the " + percentile + "th percentile of " + n
                    + " values needs the top " + k + " values kept, more than one array holds");
        }
        this.keep = (int) k;
        this.heap = new float[Math.min(keep, 1024)];
    }

    public double percentile() {
        return percentile;
    }

    public long declaredCount() {
        return declared;
    }

    public boolean absolute() {
        return absolute;
    }

    /** How many of the largest values are retained (k = N − floor(h)). */
    public int retained() {
        return keep;
    }

    /** Values seen so far, NaN included. */
    public long count() {
        return count;
    }

    public long nanCount() {
        return nans;
    }

    /** Raw values below zero seen so far (−0.0 is not negative). */
    public long negatives() {
        return negatives;
    }

    /** Smallest raw value seen (NaN ignored); +∞ before any. */
    public float min() {
        return min;
    }

    /** Largest raw value seen (NaN ignored); −∞ before any. */
    public float max() {
        return max;
    }

    public void accept(float[] values, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > values.length) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + "+" + length
                    + ") outside an array of " + values.length);
        }
        float lowest = min;
        float highest = max;
        long neg = 0;
        long nan = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            float x = values[i];
            if (x != x) {
                nan++;
                continue;
            }
            if (x < lowest) {
                lowest = x;
            }
            if (x > highest) {
                highest = x;
            }
            if (x < 0) {
                neg++;
                if (absolute) {
                    x = -x;
                }
            }
            offer(x);
        }
        min = lowest;
        max = highest;
        negatives += neg;
        nans += nan;
        count += length;
    }

    /** Accepts every element of {@code a} (any layout; non-float types are converted to float). */
    public void accept(INDArray a) {
        float[] f = floats(a);
        accept(f, 0, f.length);
    }

    /** The elements of {@code a} in C order as floats, read in bulk. */
    static float[] floats(INDArray a) {
        if (a.isEmpty()) {
            return new float[0];
        }
        INDArray d = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        if (d.isView() || d.ordering() != 'c' || d.offset() != 0 || d.data().length() != d.length()) {
            d = d.dup('c');
        }
        return d.data().asFloat();
    }

    private void offer(float x) {
        if (size < keep) {
            if (size == heap.length) {
                heap = java.util.Arrays.copyOf(heap, (int) Math.min(keep, 2L * heap.length));
            }
            siftUp(size++, x);
        } else if (x > heap[0]) {
            siftDown(x);
        }
    }

    private void siftUp(int i, float x) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= x) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = x;
    }

    private void siftDown(float x) {
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            if (c + 1 < size && heap[c + 1] < heap[c]) {
                c++;
            }
            if (x <= heap[c]) {
                break;
            }
            heap[i] = heap[c];
            i = c;
        }
        heap[i] = x;
    }

    /**
     * The percentile of all values accepted. Throws {@link IllegalStateException} when NaN
     * was seen or when the number of values accepted differs from the declared count.
     */
    public double result() {
        if (nans > 0) {
            throw new IllegalStateException(nans + " NaN value(s) among the " + count
                    + " seen; the " + percentile + "th percentile is undefined");
        }
        if (count != declared) {
            throw new IllegalStateException((count < declared ? "only " : "") + count + " value(s) arrived but "
                    + declared + " were declared; the " + percentile + "th percentile needs exactly the declared count");
        }
        double a = heap[0];
        if (keep == 1) {
            return a;
        }
        double b = size == 2 ? heap[1] : Math.min(heap[1], heap[2]);
        double t = h - lo;
        if (Double.isInfinite(a) || Double.isInfinite(b)) {
            return t == 0 || a == b ? a : Double.isInfinite(a) && Double.isInfinite(b) ? (t >= 0.5 ? b : a)
                    : Double.isInfinite(a) ? a : b;
        }
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }
}
