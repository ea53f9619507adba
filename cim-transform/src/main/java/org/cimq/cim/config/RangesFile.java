package org.cimq.cim.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads and writes {@code ranges.json}, the calibrated ADC of every mapped layer. Top level:
 * {@code "format": "cimq-ranges"}, {@code "version": 1}, {@code "method"} (how Δ was found),
 * {@code "granularity"} and {@code "quantizer"} (ids as in {@link CimConfig} files),
 * {@code "layers"} (one object per mapped layer: {@code "node"}, {@code "levels"} L, and Δ in
 * partial-sum units), for granularity network a top-level {@code "delta"}, and {@code "cim"}: the array
 * configuration the steps were found for ({@link ArraySetup}; cimq writes it, {@link Ranges#checkMatches}
 * refuses a run whose configuration differs; a file without it is read as before, unchecked). Any other
 * top-level field with a string, number or boolean value is kept in {@link Ranges#extra()}.
 * Each layer's Δ takes the granularity's form:
 * <pre>
 * network: {"format": "cimq-ranges", "version": 1, "method": "minmax", "granularity": "network",
 *           "quantizer": "zero-tread", "delta": 4.0,
 *           "layers": [{"node": "/layer1/layer1.0/conv1/Conv", "levels": 9, "delta": 4.0}]}
 * layer:   "layers": [{"node": "/layer1/layer1.0/conv1/Conv", "levels": 3, "delta": 12.0}]
 * array:   "layers": [{"node": "/layer2/layer2.0/conv1/Conv", "levels": 3, "deltas": [12.0, 10.5, 3.0]}]
 *          (one Δ per array t, the row tile of CIM-SPEC's ps[t, ...])
 * column:  "layers": [{"node": "/layer2/layer2.0/conv1/Conv", "levels": 3,
 *                      "deltas": [[12.0, 11.0, 9.5], [10.5, 8.0, 7.0], [3.0, 2.5, 2.0]]}]
 *          (deltas[t][k]: array t, column k = n·S + j over all N·S columns of the layer)
 * </pre>
 * In granularity network a layer may leave out {@code "delta"}, taking the top-level one; if
 * it gives one it must be equal. A layer with {@code "levels": 0} (no ADC) may have no Δ.
 * A layer may also fix its input scale s_x: {@code "inputScale": 0.37} (a finite number > 0), used instead of the
 * calibration images' activation percentile ({@link LayerRange#inputScale()}).
 * Unknown layer fields, a missing or ill-typed field, L = 1, a Δ that is not a finite number
 * > 0 and a node listed twice are errors naming the file, the layer and the field.
 */
public final class RangesFile {
    /** The value of the top-level {@code "format"} field. */
    public static final String FORMAT = "cimq-ranges";
    /** The version this class reads and writes. */
    public static final int VERSION = 1;

    private RangesFile() {
    }

    /** The ranges in {@code file}. */
    public static Ranges read(Path file) {
        JsonNode root = Trees.readObject(file, Trees.JSON, "JSON");
        try {
            return RangesJson.fromTree(root);
        } catch (CimConfigException e) {
            throw e.within(file.toString());
        }
    }

    /** Writes {@code ranges} as indented JSON, replacing {@code file} atomically. */
    public static void write(Ranges ranges, Path file) {
        Trees.write(file, toJson(ranges));
    }

    /** {@code ranges} as the JSON text that {@link #write} puts in a file. */
    public static String toJson(Ranges ranges) {
        ObjectNode root = Trees.JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("method", ranges.method());
        root.put("granularity", ranges.granularity().id());
        root.put("quantizer", ranges.quantizer().id());
        if (ranges.arrays() != null) {
            ranges.arrays().toTree(root.putObject("cim"));
        }
        ranges.networkDelta().ifPresent(d -> root.put("delta", d));
        for (Map.Entry<String, String> e : ranges.extra().entrySet()) {
            root.put(e.getKey(), e.getValue());
        }
        ArrayNode layers = root.putArray("layers");
        for (LayerRange l : ranges.layers()) {
            ObjectNode o = layers.addObject();
            o.put("node", l.node());
            o.put("levels", l.levels());
            if (!Double.isNaN(l.delta())) {
                o.put("delta", l.delta());
            } else if (l.arrayDeltas() != null) {
                ArrayNode a = o.putArray("deltas");
                for (double d : l.arrayDeltas()) {
                    a.add(d);
                }
            } else if (l.columnDeltas() != null) {
                ArrayNode a = o.putArray("deltas");
                for (double[] row : l.columnDeltas()) {
                    ArrayNode r = a.addArray();
                    for (double d : row) {
                        r.add(d);
                    }
                }
            }
            if (l.hasInputScale()) {
                o.put("inputScale", l.inputScale());
            }
        }
        try {
            return RangesJson.PRINTER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write ranges as JSON", e);
        }
    }
}
