package org.cimq.cim.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.cimq.onnx.AtomicFiles;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads files into JSON trees and writes them back, every failure one line naming the file. */
final class Trees {
    /** Reads YAML and so JSON, writes YAML; duplicate keys and a second document are errors. */
    static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();
    /** Strict JSON: duplicate keys and trailing content are errors. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Trees() {
    }

    /**
     * The file's top-level object; an empty file is an empty object. Text that starts with
     * a brace or bracket is read as strict JSON, since YAML refuses JSON's tab indentation.
     */
    static JsonNode readObject(Path file, ObjectMapper mapper, String format) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CimConfigException(file + ": cannot read: no such file");
        } catch (AccessDeniedException e) {
            throw new CimConfigException(file + ": cannot read: permission denied");
        } catch (IOException e) {
            throw new CimConfigException(file + ": cannot read: " + firstLine(e.getMessage()), e);
        }
        JsonNode root;
        try {
            String start = text.stripLeading();
            root = (start.startsWith("{") || start.startsWith("[") ? JSON : mapper).readTree(text);
        } catch (JsonProcessingException e) {
            throw new CimConfigException(file + ": not valid " + format + describe(e), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return mapper.createObjectNode();
        }
        if (!root.isObject()) {
            throw new CimConfigException(file + ": expected a mapping of field names to values, got "
                    + ConfigFields.describe(root));
        }
        return root;
    }

    /** Writes {@code text} to {@code file} through a temporary sibling moved into place. */
    static void write(Path file, String text) {
        try {
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new CimConfigException(file + ": cannot write: " + firstLine(e.getMessage()), e);
        }
    }

    /** Where and why parsing failed; SnakeYAML's own mark is exact where Jackson's location is not. */
    private static String describe(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException y && y.getProblemMark() != null) {
                Mark m = y.getProblemMark();
                return " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ": "
                        + firstLine(y.getProblem() != null ? y.getProblem() : y.getContext());
            }
        }
        return where(e.getLocation()) + ": " + firstLine(e.getOriginalMessage());
    }

    private static String where(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 1) {
            return "";
        }
        return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static String firstLine(String m) {
        if (m == null || m.isBlank()) {
            return "unknown reason";
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
