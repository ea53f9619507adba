package org.cimq.cim.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CIM transform's settings, with CIM-SPEC's symbols: R {@code rows} and C {@code cols} of
 * one array (cells); Bw {@code weightBits} per weight; c {@code cellBits} per cell; Ba
 * {@code inputBits} per activation; d {@code dacBits} applied per cycle; L {@code adcLevels}
 * of the ADC (0 = no ADC, lossless); the ADC's {@code quantizer} and the {@code granularity}
 * of its step Δ; the {@code mapping} of im2col rows onto arrays; the {@code digitalLayers}
 * kept off the arrays; the {@code activationPercentile} (in percent) that sets each input
 * scale s_x; and how {@code signedInputs} of a mapped layer are handled.
 *
 * <p>Every instance is valid: the constructor rejects an out-of-range field with a
 * {@link CimConfigException} naming the field by its file name ({@link #FIELDS}), the
 * allowed range and the value given. Each {@code digitalLayers} entry is {@code "first"},
 * {@code "last"}, a node name, or an integer index written as a string ({@code "0"},
 * {@code "-1"}: the index among the model's mappable layers in graph order, negative
 * counting from the end); resolving entries against a model is the transform's job.
 */
public record CimConfig(int rows, int cols, int weightBits, int cellBits, WeightScheme weightScheme,
        int inputBits, int dacBits, int adcLevels, Quantizer quantizer, Granularity granularity,
        Mapping mapping, List<String> digitalLayers, double activationPercentile, SignedInputs signedInputs) {

    /** Largest R, C and L. */
    public static final int MAX_SIZE = 65536;
    /** Largest Bw and Ba. */
    public static final int MAX_BITS = 16;
    /** Largest c. */
    public static final int MAX_CELL_BITS = 8;

    /** The field names used in files, in {@link #toMap()} order; CLI options are these with dashes. */
    public static final List<String> FIELDS = List.of("rows", "cols", "weight_bits", "cell_bits", "weight_scheme",
            "input_bits", "dac_bits", "adc_levels", "quantizer", "granularity", "mapping", "digital_layers",
            "activation_percentile", "signed_inputs");

    /**
     * CIM-SPEC's defaults: 128×128 arrays, Bw = 4, c = 1, differential pairs, Ba = 4, d = 1,
     * zero-tread ADC with one Δ per layer, flat mapping, first and last layer digital, the
     * 99.99th percentile, signed inputs refused. CIM-SPEC names no default L, so
     * {@code adcLevels} is 0 (no ADC): a run without {@code adc_levels} is the lossless reference.
     */
    public static final CimConfig DEFAULTS = new CimConfig(128, 128, 4, 1, WeightScheme.DIFFERENTIAL, 4, 1, 0,
            Quantizer.ZERO_TREAD, Granularity.LAYER, Mapping.FLAT, List.of("first", "last"), 99.99, SignedInputs.ERROR);

    public CimConfig {
        range("rows", rows, 1, MAX_SIZE, "");
        range("cols", cols, 1, MAX_SIZE, "");
        range("weight_bits", weightBits, 2, MAX_BITS, "");
        range("cell_bits", cellBits, 1, Math.min(weightBits, MAX_CELL_BITS),
                weightBits < MAX_CELL_BITS ? " (weight_bits)" : "");
        present("weight_scheme", weightScheme, WeightScheme.values());
        range("input_bits", inputBits, 1, MAX_BITS, "");
        range("dac_bits", dacBits, 1, inputBits, " (input_bits)");
        if (adcLevels != 0 && (adcLevels < 2 || adcLevels > MAX_SIZE)) {
            throw new CimConfigException("adc_levels: must be 0 (no ADC) or an integer from 2 to " + MAX_SIZE
                    + ", got " + adcLevels);
        }
        present("quantizer", quantizer, Quantizer.values());
        present("granularity", granularity, Granularity.values());
        present("mapping", mapping, Mapping.values());
        digitalLayers = checkLayers(digitalLayers);
        if (!(activationPercentile > 0 && activationPercentile <= 100)) {
            throw new CimConfigException("activation_percentile: must be a number in (0, 100], got " + activationPercentile);
        }
        present("signed_inputs", signedInputs, SignedInputs.values());
    }

    /** A copy with one field, named as in files, set from its textual form (as on the CLI). */
    public CimConfig with(String field, String value) {
        return with(Collections.singletonMap(field, value));
    }

    /**
     * A copy with several fields set from their textual forms at once, so that related fields
     * ({@code input_bits} and {@code dac_bits}) may change together. {@code digital_layers} is
     * comma-separated, the empty string meaning none.
     */
    public CimConfig with(Map<String, String> changes) {
        Map<String, Object> values = values();
        changes.forEach((field, text) -> values.put(ConfigFields.known(field), ConfigFields.fromText(field, text)));
        return ConfigFields.build(values);
    }

    /** File names to values in {@link #FIELDS} order, enums as their ids: for provenance and JSON output. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = values();
        m.replaceAll((k, v) -> v instanceof Enum<?> e ? ConfigFields.id(e) : v);
        return m;
    }

    /** File names to typed values (enums as constants), a fresh mutable map. */
    Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rows);
        m.put("cols", cols);
        m.put("weight_bits", weightBits);
        m.put("cell_bits", cellBits);
        m.put("weight_scheme", weightScheme);
        m.put("input_bits", inputBits);
        m.put("dac_bits", dacBits);
        m.put("adc_levels", adcLevels);
        m.put("quantizer", quantizer);
        m.put("granularity", granularity);
        m.put("mapping", mapping);
        m.put("digital_layers", new ArrayList<>(digitalLayers));
        m.put("activation_percentile", activationPercentile);
        m.put("signed_inputs", signedInputs);
        return m;
    }

    private static void range(String field, int v, int lo, int hi, String why) {
        if (v < lo || v > hi) {
            throw new CimConfigException(field + ": must be an integer from " + lo + " to " + hi + why + ", got " + v);
        }
    }

    private static <E extends Enum<E>> void present(String field, E value, E[] all) {
        if (value == null) {
            throw new CimConfigException(field + ": must be one of " + Ids.list(all, ConfigFields::id) + ", got nothing");
        }
    }

    private static List<String> checkLayers(List<String> layers) {
        if (layers == null) {
            throw new CimConfigException("digital_layers: must be a list (empty for none), got nothing");
        }
        for (int i = 0; i < layers.size(); i++) {
            String s = layers.get(i);
            if (s == null || s.isBlank()) {
                throw new CimConfigException("digital_layers[" + i + "]: must be \"first\", \"last\", a node name or an "
                        + "integer index, got " + (s == null ? "nothing" : "'" + s + "'"));
            }
        }
        return List.copyOf(layers);
    }
}
