package org.cimq.cim.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the JSON tree of a {@code ranges.json} into {@link Ranges}; errors name the layer and the field. */
final class RangesJson {
    static final ObjectWriter PRINTER = Trees.JSON.writerWithDefaultPrettyPrinter();
    private static final List<String> LAYER_FIELDS = List.of("node", "levels", "delta", "deltas", "inputScale");

    private RangesJson() {
    }

    static Ranges fromTree(JsonNode root) {
        JsonNode format = root.get("format");
        if (format == null || !RangesFile.FORMAT.equals(format.textValue())) {
            throw new CimConfigException("format: expected '" + RangesFile.FORMAT + "' (a cimq ranges file), got "
                    + (format == null ? "nothing" : ConfigFields.describe(format)));
        }
        JsonNode version = required(root, "version");
        if (!version.isIntegralNumber() || version.asLong() != RangesFile.VERSION) {
            throw new CimConfigException("version: expected " + RangesFile.VERSION + ", got " + version);
        }
        String method = text(required(root, "method"), "method");
        Granularity granularity = Granularity.parse("granularity", text(required(root, "granularity"), "granularity"));
        Quantizer quantizer = Quantizer.parse("quantizer", text(required(root, "quantizer"), "quantizer"));
        JsonNode delta = root.get("delta");
        if (delta != null && granularity != Granularity.NETWORK) {
            throw new CimConfigException("delta: a top-level delta is only for granularity network, got "
                    + granularity.id());
        }
        Double networkDelta = delta == null ? null : number(delta, "delta");
        JsonNode layers = required(root, "layers");
        if (!layers.isArray()) {
            throw new CimConfigException("layers: expected a list of layer objects, got " + ConfigFields.describe(layers));
        }
        List<LayerRange> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            out.add(layer(layers.get(i), i, granularity, networkDelta));
        }
        Map<String, String> extra = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!Ranges.RESERVED.contains(e.getKey())) {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw new CimConfigException(e.getKey() + ": unknown field; extra fields must be strings, numbers "
                            + "or booleans, got " + e.getValue());
                }
                extra.put(e.getKey(), e.getValue().asText());
            }
        }
        JsonNode cim = root.get("cim");
        return new Ranges(method, granularity, quantizer, out, extra, cim == null ? null : ArraySetup.fromTree(cim));
    }

    private static LayerRange layer(JsonNode o, int index, Granularity granularity, Double networkDelta) {
        LayerRange l = layerAdc(o, index, granularity, networkDelta);
        JsonNode scale = o.get("inputScale");
        if (scale == null) {
            return l;
        }
        try {
            return l.withInputScale(number(scale, "inputScale"));
        } catch (CimConfigException e) {
            throw e.getMessage().startsWith("layer '") ? e : e.within("layer '" + l.node() + "'");
        }
    }

    private static LayerRange layerAdc(JsonNode o, int index, Granularity granularity, Double networkDelta) {
        if (!o.isObject()) {
            throw new CimConfigException("layers[" + index + "]: expected an object, got " + ConfigFields.describe(o));
        }
        JsonNode nodeField = o.get("node");
        if (nodeField == null || !nodeField.isTextual() || nodeField.textValue().isBlank()) {
            throw new CimConfigException("layers[" + index + "]: node: expected a node name, got "
                    + (nodeField == null ? "nothing" : ConfigFields.describe(nodeField)));
        }
        String node = nodeField.textValue();
        try {
            for (Map.Entry<String, JsonNode> field : o.properties()) {
                String key = field.getKey();
                if (!LAYER_FIELDS.contains(key)) {
                    throw new CimConfigException(key + ": unknown field, expected one of " + String.join(", ", LAYER_FIELDS));
                }
            }
            JsonNode levelsField = required(o, "levels");
            if (!levelsField.isIntegralNumber() || !levelsField.canConvertToInt()) {
                throw new CimConfigException("levels: expected an integer, got " + ConfigFields.describe(levelsField));
            }
            int levels = levelsField.intValue();
            boolean single = granularity == Granularity.NETWORK || granularity == Granularity.LAYER;
            String wanted = single ? "delta" : "deltas";
            String other = single ? "deltas" : "delta";
            if (o.has(other)) {
                throw new CimConfigException(other + ": granularity " + granularity.id() + " takes \"" + wanted + "\"");
            }
            JsonNode d = o.get(wanted);
            if (d == null && single && networkDelta != null && levels != 0) {
                return LayerRange.single(node, levels, networkDelta);
            }
            if (d == null) {
                if (levels != 0) {
                    throw new CimConfigException(wanted + ": missing, an ADC with " + levels + " levels needs a step");
                }
                return LayerRange.noAdc(node);
            }
            if (single) {
                double value = number(d, "delta");
                if (networkDelta != null && Double.compare(value, networkDelta) != 0) {
                    throw new CimConfigException("delta: " + value + " differs from the top-level delta " + networkDelta);
                }
                return LayerRange.single(node, levels, value);
            }
            if (granularity == Granularity.ARRAY) {
                return LayerRange.perArray(node, levels, numbers(d, "deltas", "one per array"));
            }
            if (!d.isArray()) {
                throw new CimConfigException("deltas: expected a list of lists (per array, per column), got " + d);
            }
            double[][] columns = new double[d.size()][];
            for (int t = 0; t < columns.length; t++) {
                columns[t] = numbers(d.get(t), "deltas[" + t + "]", "one per column");
            }
            return LayerRange.perColumn(node, levels, columns);
        } catch (CimConfigException e) {
            throw e.getMessage().startsWith("layer '") ? e : e.within("layer '" + node + "'");
        }
    }

    private static JsonNode required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null) {
            throw new CimConfigException(field + ": missing");
        }
        return v;
    }

    private static String text(JsonNode v, String field) {
        if (!v.isTextual()) {
            throw new CimConfigException(field + ": expected a string, got " + v);
        }
        return v.textValue();
    }

    private static double number(JsonNode v, String field) {
        if (!v.isNumber()) {
            throw new CimConfigException(field + ": expected a number, got " + ConfigFields.describe(v));
        }
        return v.doubleValue();
    }

    private static double[] numbers(JsonNode v, String field, String what) {
        if (!v.isArray()) {
            throw new CimConfigException(field + ": expected a list of numbers (" + what + "), got "
                    + ConfigFields.describe(v));
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(v.get(i), field + "[" + i + "]");
        }
        return out;
    }
}
