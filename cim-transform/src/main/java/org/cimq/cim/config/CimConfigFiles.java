package org.cimq.cim.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads and writes {@link CimConfig} files: YAML, or JSON (which YAML reads), a mapping from
 * the field names of {@link CimConfig#FIELDS} to values. A missing field takes its
 * {@link CimConfig#DEFAULTS} value; an unknown or repeated field, a value of the wrong type or
 * out of range is an error whose message starts with the file. Example:
 * <pre>
 * rows: 256
 * adc_levels: 16
 * granularity: array
 * digital_layers: [first, last, "/fc/Gemm"]
 * </pre>
 */
public final class CimConfigFiles {
    private CimConfigFiles() {
    }

    /** The configuration in {@code file}, over the defaults. */
    public static CimConfig read(Path file) {
        JsonNode root = Trees.readObject(file, Trees.YAML, "YAML or JSON");
        try {
            Map<String, Object> values = CimConfig.DEFAULTS.values();
            for (Map.Entry<String, JsonNode> e : root.properties()) {
                values.put(ConfigFields.known(e.getKey()), ConfigFields.fromJson(e.getKey(), e.getValue()));
            }
            return ConfigFields.build(values);
        } catch (CimConfigException e) {
            throw e.within(file.toString());
        }
    }

    /** Writes {@code config} as YAML, every field present, replacing {@code file} atomically. */
    public static void write(CimConfig config, Path file) {
        Trees.write(file, toYaml(config));
    }

    /** {@code config} as the YAML text that {@link #write} puts in a file. */
    public static String toYaml(CimConfig config) {
        try {
            return Trees.YAML.writeValueAsString(config.toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a configuration as YAML", e);
        }
    }
}
