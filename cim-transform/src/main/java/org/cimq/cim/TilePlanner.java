package org.cimq.cim;

import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Mapping;
import org.cimq.runtime.cim.InputMode;

/**
 * Cuts a layer's matrix into arrays (CIM-SPEC "Tiling"). Rows follow ONNX's weight order
 * (cin, kh, kw). Flat mapping: array t holds rows [t·R, (t+1)·R), the last may be partial.
 * Channel-aligned: each array holds floor(R / (kh·kw)) whole input channels. Balanced (an option
 * CIM-SPEC does not name): flat's T = ceil(K / R) arrays, array t holding rows
 * [floor(t·K/T), floor((t+1)·K/T)), so that with one ADC step per layer no array is a small
 * remainder whose partial sums the step rounds away. Columns (output
 * channels × slices) are cut into arrays of C; that changes no partial sum, only the count.
 */
public final class TilePlanner {
    private TilePlanner() {
    }

    /** The plan of {@code layer} with its output positions read from the inferred shapes (no calibration needed). */
    public static TilePlan plan(MappedLayer layer, CimConfig cfg, InputMode mode) {
        return plan(layer, cfg, mode, Positions.perImage(layer));
    }

    public static TilePlan plan(MappedLayer layer, CimConfig cfg, InputMode mode, long positions) {
        int rows = cfg.rows();
        int[] starts;
        if (cfg.mapping() == Mapping.CHANNEL_ALIGNED) {
            int perArray = rows / layer.kernelArea();
            if (perArray == 0) {
                throw new CimTransformException(layer.node().describe() + ": one input channel needs " + layer.kernelArea()
                        + " rows, more than rows = " + rows + " (channel-aligned mapping)");
            }
            starts = starts(layer.k(), perArray * layer.kernelArea());
        } else if (cfg.mapping() == Mapping.BALANCED) {
            starts = balanced(layer.k(), rows);
        } else {
            starts = starts(layer.k(), rows);
        }
        WeightSlices slices = new WeightSlices(cfg.weightScheme(), cfg.weightBits(), cfg.cellBits());
        int columns = layer.nPerGroup() * slices.count();
        int refs = slices.hasReferenceColumn() ? slices.count() : 0;
        int colTiles = (columns + refs + cfg.cols() - 1) / cfg.cols();
        while (columns + refs * colTiles > colTiles * cfg.cols()) {
            colTiles++;
        }
        return new TilePlan(layer.name(), layer.k(), layer.n(), layer.groups(), slices.count(), refs,
                mode.planes(cfg.inputBits(), cfg.dacBits()), starts.length - 1, colTiles, starts, positions, rows, cfg.cols());
    }

    /** ceil(k / rows) arrays, array t starting at floor(t·k / arrays). */
    static int[] balanced(int k, int rows) {
        int tiles = (k + rows - 1) / rows;
        int[] s = new int[tiles + 1];
        for (int t = 0; t <= tiles; t++) {
            s[t] = (int) ((long) t * k / tiles);
        }
        return s;
    }

    private static int[] starts(int k, int step) {
        int tiles = (k + step - 1) / step;
        int[] s = new int[tiles + 1];
        for (int t = 0; t < tiles; t++) {
            s[t] = t * step;
        }
        s[tiles] = k;
        return s;
    }
}
