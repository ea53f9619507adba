package org.cimq.ir;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole ONNX model: the main graph, opset imports (domain → version, "" being ONNX's
 * default domain), producer information and metadata_props.
 */
public final class Model {
    /** The ONNX default-domain name; "ai.onnx" is read as this too. */
    public static final String ONNX_DOMAIN = "";

    private long irVersion = 8;
    private final Map<String, Long> opsetImports = new LinkedHashMap<>();
    private String producerName = "";
    private String producerVersion = "";
    private String domain = "";
    private long modelVersion;
    private String docString = "";
    private Graph graph;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private byte[] unknownFields = new byte[0];

    public Model(Graph graph) {
        this.graph = graph;
    }

    public Graph graph() {
        return graph;
    }

    public void setGraph(Graph g) {
        this.graph = g;
    }

    public long irVersion() {
        return irVersion;
    }

    public void setIrVersion(long v) {
        this.irVersion = v;
    }

    /** Opset imports, domain → version; mutable. */
    public Map<String, Long> opsetImports() {
        return opsetImports;
    }

    /** The opset version imported for a domain ("" or "ai.onnx" = default), or -1 if none. */
    public long opsetVersion(String domain) {
        String d = "ai.onnx".equals(domain) ? "" : domain;
        Long v = opsetImports.get(d);
        if (v == null && d.isEmpty()) {
            v = opsetImports.get("ai.onnx");
        }
        return v == null ? -1 : v;
    }

    public String producerName() {
        return producerName;
    }

    public void setProducerName(String s) {
        this.producerName = s == null ? "" : s;
    }

    public String producerVersion() {
        return producerVersion;
    }

    public void setProducerVersion(String s) {
        this.producerVersion = s == null ? "" : s;
    }

    public String domain() {
        return domain;
    }

    public void setDomain(String s) {
        this.domain = s == null ? "" : s;
    }

    public long modelVersion() {
        return modelVersion;
    }

    public void setModelVersion(long v) {
        this.modelVersion = v;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String s) {
        this.docString = s == null ? "" : s;
    }

    /** metadata_props, in file order; mutable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    public byte[] unknownFields() {
        return unknownFields;
    }

    public void setUnknownFields(byte[] b) {
        this.unknownFields = b;
    }
}
