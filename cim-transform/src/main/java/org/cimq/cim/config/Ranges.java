package org.cimq.cim.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The calibrated ADC ranges of a mapped model, as stored in {@code ranges.json} (see
 * {@link RangesFile}): the calibration {@code method} that found them, the {@code granularity}
 * of Δ and the {@code quantizer} they were found for, one {@link LayerRange} per mapped layer
 * (distinct nodes, each Δ in the form the granularity asks for, the same Δ in every layer for
 * granularity network), and {@code extra} top-level fields kept as text (provenance such as
 * the model or the calibration set), and the {@link ArraySetup} they were found for ({@code arrays}, null
 * when the file does not record it: files written before cimq recorded it, or hand-written ones).
 */
public record Ranges(String method, Granularity granularity, Quantizer quantizer, List<LayerRange> layers,
        Map<String, String> extra, ArraySetup arrays) {

    /** The top-level field names of {@code ranges.json} that {@code extra} may not use. */
    public static final List<String> RESERVED = List.of("format", "version", "method", "granularity", "quantizer",
            "cim", "delta", "layers");

    public Ranges {
        if (method == null || method.isBlank()) {
            throw new CimConfigException("method: must name the calibration method, got "
                    + (method == null ? "nothing" : "'" + method + "'"));
        }
        if (granularity == null || quantizer == null) {
            throw new CimConfigException((granularity == null ? "granularity" : "quantizer") + ": missing");
        }
        if (layers == null) {
            throw new CimConfigException("layers: missing");
        }
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) == null) {
                throw new CimConfigException("layers[" + i + "]: missing");
            }
        }
        layers = List.copyOf(layers);
        checkLayers(granularity, layers);
        if (extra == null) {
            extra = Map.of();
        }
        for (String key : extra.keySet()) {
            if (key == null || RESERVED.contains(key)) {
                throw new CimConfigException(key + ": reserved field, not an extra one");
            }
        }
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** Ranges that do not record the array configuration they were found for. */
    public Ranges(String method, Granularity granularity, Quantizer quantizer, List<LayerRange> layers,
                  Map<String, String> extra) {
        this(method, granularity, quantizer, layers, extra, null);
    }

    /** These ranges with {@code extra} as their extra fields (everything else kept). */
    public Ranges withExtra(Map<String, String> extra) {
        return new Ranges(method, granularity, quantizer, layers, extra, arrays);
    }

    /** The range of {@code node}, if it has one. */
    public Optional<LayerRange> forNode(String node) {
        return layers.stream().filter(l -> l.node().equals(node)).findFirst();
    }

    /** For granularity network, the one Δ all layers share (none if no layer has an ADC). */
    public OptionalDouble networkDelta() {
        if (granularity != Granularity.NETWORK) {
            return OptionalDouble.empty();
        }
        return layers.stream().filter(l -> !Double.isNaN(l.delta())).mapToDouble(LayerRange::delta).findFirst();
    }

    /**
     * Checks that these ranges fit a model whose mapped layers are {@code mappedNodes}: every
     * mapped layer has a range and every range names a mapped layer. The error names
     * {@code file}, the first mapped layer without a range and the first range of no mapped layer.
     */
    public void checkCovers(Collection<String> mappedNodes, String file) {
        Set<String> mapped = new HashSet<>(mappedNodes);
        List<String> missing = mappedNodes.stream().filter(n -> forNode(n).isEmpty()).distinct().toList();
        List<String> stray = layers.stream().map(LayerRange::node).filter(n -> !mapped.contains(n)).toList();
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add("no range for mapped layer '" + missing.get(0) + "'" + more(missing.size()));
        }
        if (!stray.isEmpty()) {
            problems.add("layer '" + stray.get(0) + "' is not a mapped layer of the model" + more(stray.size()));
        }
        if (!problems.isEmpty()) {
            throw new CimConfigException(file + ": does not match the model: " + String.join("; ", problems));
        }
    }

    /**
     * Checks that these ranges were found for {@code config}'s granularity and quantizer and, where the file records
     * it, for its array configuration ({@link ArraySetup}); the error names {@code file} and every field that differs.
     */
    public void checkMatches(CimConfig config, String file) {
        if (granularity != config.granularity()) {
            throw new CimConfigException(file + ": granularity: the ranges are per " + granularity.id()
                    + ", the configuration asks for " + config.granularity().id());
        }
        if (quantizer != config.quantizer()) {
            throw new CimConfigException(file + ": quantizer: the ranges are for " + quantizer.id()
                    + ", the configuration asks for " + config.quantizer().id());
        }
        List<String> differ = arrays == null ? List.of() : arrays.mismatches(config);
        if (!differ.isEmpty()) {
            throw new CimConfigException(file + ": " + String.join("; ", differ)
                    + " (a step is in partial-sum units of the arrays it was found for: calibrate again, or run with the "
                    + "ranges' settings)");
        }
    }

    private static String more(int count) {
        return count > 1 ? " (and " + (count - 1) + " more)" : "";
    }

    private static void checkLayers(Granularity granularity, List<LayerRange> layers) {
        Set<String> seen = new HashSet<>();
        LayerRange first = null;
        for (LayerRange l : layers) {
            String where = "layer '" + l.node() + "': ";
            if (!seen.add(l.node())) {
                throw new CimConfigException(where + "node: listed twice");
            }
            Granularity form = l.form();
            Granularity wanted = granularity == Granularity.NETWORK ? Granularity.LAYER : granularity;
            if (form != null && form != wanted) {
                throw new CimConfigException(where + (wanted == Granularity.LAYER ? "delta" : "deltas") + ": granularity "
                        + granularity.id() + " needs " + shape(wanted) + ", got " + shape(form));
            }
            if (granularity == Granularity.NETWORK && form != null) {
                if (first == null) {
                    first = l;
                } else if (Double.compare(first.delta(), l.delta()) != 0) {
                    throw new CimConfigException(where + "delta: granularity network needs one delta for all layers, "
                            + "layer '" + first.node() + "' has " + first.delta() + ", got " + l.delta());
                }
            }
        }
    }

    private static String shape(Granularity form) {
        return switch (form) {
            case ARRAY -> "one delta per array";
            case COLUMN -> "one delta per column of each array";
            default -> "a single delta";
        };
    }
}
