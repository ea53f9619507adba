package org.cimq.cim.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The array configuration a {@code ranges.json} was calibrated for: the {@link CimConfig} fields
 * that decide what a partial sum is (R, C, Bw, c, the weight scheme, Ba, d, the row mapping and
 * how signed inputs are split), by their file names, as the {@code "cim"} object of the ranges
 * file. A step Δ is in partial-sum units, so a Δ found for 128-row arrays, flat mapping, means
 * something else on 64-row arrays or with balanced mapping: {@link #mismatches} lets a command
 * refuse such a file instead of running it silently. ADC levels, quantizer and granularity are
 * the ranges' own fields and are not repeated here; the activation percentile is left out
 * because a ranges file may fix the input scales itself. A hand-written file may record a subset
 * of the fields: only those recorded are checked.
 */
public record ArraySetup(Map<String, Object> fields) {
    /** The {@link CimConfig#FIELDS} recorded, in file order. */
    public static final List<String> FIELDS = List.of("rows", "cols", "weight_bits", "cell_bits", "weight_scheme",
            "input_bits", "dac_bits", "mapping", "signed_inputs");

    public ArraySetup {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (String f : FIELDS) {
            if (fields.containsKey(f)) {
                copy.put(f, fields.get(f));
            }
        }
        for (String f : fields.keySet()) {
            if (!FIELDS.contains(f)) {
                throw new CimConfigException("cim: " + f + ": not part of the array configuration a ranges file records, "
                        + "expected one of " + String.join(", ", FIELDS));
            }
        }
        fields = Collections.unmodifiableMap(copy);
    }

    /** All recorded fields of {@code cfg}, typed as {@link CimConfig} holds them. */
    public static ArraySetup of(CimConfig cfg) {
        Map<String, Object> all = cfg.values();
        all.keySet().retainAll(FIELDS);
        return new ArraySetup(all);
    }

    /** The {@code "cim"} object of a ranges file; errors name the field. */
    static ArraySetup fromTree(JsonNode o) {
        if (!o.isObject()) {
            throw new CimConfigException("cim: expected an object of array settings (" + String.join(", ", FIELDS) + "), got "
                    + ConfigFields.describe(o));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (!FIELDS.contains(e.getKey())) {
                throw new CimConfigException("cim: " + e.getKey() + ": not part of the array configuration a ranges file "
                        + "records, expected one of " + String.join(", ", FIELDS));
            }
            try {
                fields.put(e.getKey(), ConfigFields.fromJson(e.getKey(), e.getValue()));
            } catch (CimConfigException ex) {
                throw ex.within("cim");
            }
        }
        return new ArraySetup(fields);
    }

    /** Writes the recorded fields into {@code o}, enums by their ids. */
    void toTree(ObjectNode o) {
        fields.forEach((k, v) -> {
            if (v instanceof Integer i) {
                o.put(k, i);
            } else {
                o.put(k, ConfigFields.id((Enum<?>) v));
            }
        });
    }

    /**
     * One line per recorded field whose value differs from {@code cfg}'s, saying both values
     * ({@code "cim.rows: the ranges were found for 128, the configuration has 64"}); empty when all match.
     */
    public List<String> mismatches(CimConfig cfg) {
        Map<String, Object> now = cfg.values();
        List<String> out = new ArrayList<>();
        fields.forEach((k, v) -> {
            Object actual = now.get(k);
            if (!v.equals(actual)) {
                out.add("cim." + k + ": the ranges were found for " + text(v) + ", the configuration has " + text(actual));
            }
        });
        return out;
    }

    private static String text(Object v) {
        return v instanceof Enum<?> e ? ConfigFields.id(e) : String.valueOf(v);
    }
}
