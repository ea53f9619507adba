package org.cimq.cli.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an accuracy sweep written by another tool (Jackson's tree model):
 * <pre>
 * {"model": "...", "dataset": "...", "testImages": N, "calibImages": N, "config": {...},
 *  "floatTop1": 0.91, "losslessTop1": 0.90,
 *  "points": [{"method": "mse", "levels": 3, "top1": 0.88, "calibTop1": 0.87, "seconds": 12.3}, ...]}
 * </pre>
 * {@code points} and each point's {@code method}, {@code levels} (an integer ≥ 0) and {@code top1}
 * are required; every other field may be missing or null. Accuracies are fractions in [0, 1].
 * Unknown fields are ignored. A bad file is an {@link IllegalArgumentException} naming the file
 * and the field ({@code points[2].top1}) and what was expected.
 */
public final class SweepFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SweepFile() {
    }

    public static Sweep read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the sweep: " + e.getMessage(), e);
        }
        return parse(root, file.toString());
    }

    /** The sweep in {@code root}; {@code source} names it in errors. */
    public static Sweep parse(JsonNode root, String source) {
        Fields f = new Fields(source);
        if (root == null || !root.isObject()) {
            throw f.error("", "a JSON object", root);
        }
        JsonNode points = root.get("points");
        if (points == null || !points.isArray()) {
            throw f.error("points", "an array of {method, levels, top1, ...}", points);
        }
        List<Sweep.Point> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            JsonNode p = points.get(i);
            String at = "points[" + i + "]";
            if (!p.isObject()) {
                throw f.error(at, "an object", p);
            }
            String method = f.string(p, at + ".method", true);
            Integer levels = f.integer(p, at + ".levels", true);
            Double top1 = f.fraction(p, at + ".top1", true);
            out.add(new Sweep.Point(method, levels, top1, f.fraction(p, at + ".calibTop1", false),
                    f.nonNegative(p, at + ".seconds")));
        }
        Map<String, Object> config = null;
        JsonNode c = root.get("config");
        if (c != null && !c.isNull()) {
            if (!c.isObject()) {
                throw f.error("config", "an object", c);
            }
            config = new LinkedHashMap<>();
            for (var it = c.fields(); it.hasNext(); ) {
                var e = it.next();
                config.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        return new Sweep(f.string(root, "model", false), f.string(root, "dataset", false), f.integer(root, "testImages", false),
                f.integer(root, "calibImages", false), config, f.fraction(root, "floatTop1", false),
                f.fraction(root, "losslessTop1", false), out);
    }

    /** Typed field access with errors naming the source and the field's path. */
    private record Fields(String source) {
        IllegalArgumentException error(String field, String expected, JsonNode got) {
            String what = got == null ? "nothing" : got.toString();
            if (what.length() > 40) {
                what = what.substring(0, 40) + "...";
            }
            return new IllegalArgumentException(source + ": " + (field.isEmpty() ? "the file" : "field '" + field + "'")
                    + " must be " + expected + ", got " + what);
        }

        private JsonNode get(JsonNode parent, String path, boolean required, String expected) {
            JsonNode n = parent.get(path.substring(path.lastIndexOf('.') + 1));
            if (n == null || n.isNull()) {
                if (required) {
                    throw error(path, expected, n);
                }
                return null;
            }
            return n;
        }

        String string(JsonNode parent, String path, boolean required) {
            JsonNode n = get(parent, path, required, "a string");
            if (n == null) {
                return null;
            }
            if (!n.isTextual() || n.asText().isBlank()) {
                throw error(path, "a non-empty string", n);
            }
            return n.asText();
        }

        Integer integer(JsonNode parent, String path, boolean required) {
            JsonNode n = get(parent, path, required, "an integer >= 0");
            if (n == null) {
                return null;
            }
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0) {
                throw error(path, "an integer >= 0", n);
            }
            return n.asInt();
        }

        Double fraction(JsonNode parent, String path, boolean required) {
            JsonNode n = get(parent, path, required, "a number in [0, 1]");
            if (n == null) {
                return null;
            }
            if (!n.isNumber() || !(n.asDouble() >= 0 && n.asDouble() <= 1)) {
                throw error(path, "a number in [0, 1] (a fraction, not a percentage)", n);
            }
            return n.asDouble();
        }

        Double nonNegative(JsonNode parent, String path) {
            JsonNode n = get(parent, path, false, "a number >= 0");
            if (n == null) {
                return null;
            }
            if (!n.isNumber() || !(n.asDouble() >= 0)) {
                throw error(path, "a number >= 0", n);
            }
            return n.asDouble();
        }
    }
}
