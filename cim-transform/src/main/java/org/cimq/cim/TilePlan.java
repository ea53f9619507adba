package org.cimq.cim;

/**
 * How one layer sits on R×C arrays.
 *
 * @param layer              the layer's node name
 * @param k                  im2col rows per group (Cin/group·kh·kw, or K)
 * @param n                  output channels
 * @param groups             Conv groups (each group's matrix is tiled on its own)
 * @param slices             weight slices S per output channel
 * @param referenceColumns   extra reference columns per array column tile (offset scheme: S, else 0)
 * @param planes             input planes applied per conversion cycle series (bit-serial cycles)
 * @param rowTiles           arrays along the rows of one group's matrix
 * @param colTiles           arrays along the columns of one group's matrix
 * @param rowStarts          first im2col row of each row tile (length rowTiles + 1, last = k)
 * @param positions          output positions per image (H'·W' for Conv, M for MatMul, 1 for Gemm)
 * @param rows               R
 * @param cols               C
 */
public record TilePlan(String layer, int k, int n, int groups, int slices, int referenceColumns, int planes,
                       int rowTiles, int colTiles, int[] rowStarts, long positions, int rows, int cols) {
    /** Arrays the layer occupies. */
    public int arrays() {
        return groups * rowTiles * colTiles;
    }

    /** Columns of one group's matrix: output channels of the group × slices, plus reference columns. */
    public int columnsPerGroup() {
        return (n / groups) * slices + referenceColumns * colTiles;
    }

    /** Fraction of the occupied cells that hold a weight digit. */
    public double utilization() {
        return (double) groups * k * (n / groups) * slices / ((double) arrays() * rows * cols);
    }

    /** Partial sums (one per column, row tile, plane and output position) per input image. */
    public long partialSumsPerImage() {
        return (long) groups * rowTiles * columnsPerGroup() * planes * positions;
    }

    /** ADC conversions per input image: one per partial sum. */
    public long adcConversionsPerImage() {
        return partialSumsPerImage();
    }
}
