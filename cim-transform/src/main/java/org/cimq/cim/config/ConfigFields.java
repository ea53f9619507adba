package org.cimq.cim.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Turns one configuration field's textual (CLI) or file (JSON tree) form into its typed value. */
final class ConfigFields {
    private ConfigFields() {
    }

    /** {@code field} if it is one of {@link CimConfig#FIELDS}; else an error listing them. */
    static String known(String field) {
        if (field == null || !CimConfig.FIELDS.contains(field)) {
            throw new CimConfigException((field == null ? "(no name)" : field) + ": unknown field, expected one of "
                    + String.join(", ", CimConfig.FIELDS));
        }
        return field;
    }

    static Object fromText(String field, String text) {
        if (text == null) {
            throw new CimConfigException(field + ": no value given");
        }
        return switch (known(field)) {
            case "weight_scheme" -> WeightScheme.parse(field, text);
            case "quantizer" -> Quantizer.parse(field, text);
            case "granularity" -> Granularity.parse(field, text);
            case "mapping" -> Mapping.parse(field, text);
            case "signed_inputs" -> SignedInputs.parse(field, text);
            case "digital_layers" -> text.isBlank() ? List.of()
                    : Arrays.stream(text.split(",", -1)).map(String::strip).toList();
            case "activation_percentile" -> parseDouble(field, text);
            default -> parseInt(field, text);
        };
    }

    static Object fromJson(String field, JsonNode node) {
        return switch (known(field)) {
            case "weight_scheme", "quantizer", "granularity", "mapping", "signed_inputs" ->
                    fromText(field, node.isTextual() ? node.textValue() : node.toString());
            case "digital_layers" -> layers(node);
            case "activation_percentile" -> {
                if (!node.isNumber()) {
                    throw new CimConfigException(field + ": expected a number, got " + describe(node));
                }
                yield node.doubleValue();
            }
            default -> {
                if (!node.isIntegralNumber()) {
                    throw new CimConfigException(field + ": expected an integer, got " + describe(node));
                }
                if (!node.canConvertToInt()) {
                    throw new CimConfigException(field + ": expected a 32-bit integer, got " + node);
                }
                yield node.intValue();
            }
        };
    }

    static CimConfig build(Map<String, Object> v) {
        @SuppressWarnings("unchecked")
        List<String> layers = (List<String>) v.get("digital_layers");
        return new CimConfig((Integer) v.get("rows"), (Integer) v.get("cols"), (Integer) v.get("weight_bits"),
                (Integer) v.get("cell_bits"), (WeightScheme) v.get("weight_scheme"), (Integer) v.get("input_bits"),
                (Integer) v.get("dac_bits"), (Integer) v.get("adc_levels"), (Quantizer) v.get("quantizer"),
                (Granularity) v.get("granularity"), (Mapping) v.get("mapping"), layers,
                (Double) v.get("activation_percentile"), (SignedInputs) v.get("signed_inputs"));
    }

    static String id(Enum<?> e) {
        if (e instanceof WeightScheme w) {
            return w.id();
        } else if (e instanceof Quantizer q) {
            return q.id();
        } else if (e instanceof Granularity g) {
            return g.id();
        } else if (e instanceof Mapping m) {
            return m.id();
        } else if (e instanceof SignedInputs s) {
            return s.id();
        }
        throw new IllegalArgumentException("not a configuration enum: " + e.getClass().getName());
    }

    /** A JSON value as an error message shows it: strings quoted, others as JSON. */
    static String describe(JsonNode node) {
        return node.isTextual() ? "'" + node.textValue() + "'" : node.toString();
    }

    private static List<String> layers(JsonNode node) {
        if (!node.isArray()) {
            throw new CimConfigException("digital_layers: expected a list of node names or integer indices, got "
                    + describe(node));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode e = node.get(i);
            if (e.isTextual()) {
                out.add(e.textValue());
            } else if (e.isIntegralNumber() && e.canConvertToInt()) {
                out.add(Integer.toString(e.intValue()));
            } else {
                throw new CimConfigException("digital_layers[" + i + "]: expected a node name or an integer index, got "
                        + describe(e));
            }
        }
        return out;
    }

    private static int parseInt(String field, String text) {
        String t = text.strip();
        try {
            long v = Long.parseLong(t);
            if (v != (int) v) {
                throw new CimConfigException(field + ": expected a 32-bit integer, got '" + text + "'");
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new CimConfigException(field + ": expected an integer, got '" + text + "'");
        }
    }

    private static double parseDouble(String field, String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new CimConfigException(field + ": expected a number, got '" + text + "'");
        }
    }
}
