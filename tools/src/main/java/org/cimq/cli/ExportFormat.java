package org.cimq.cli;

/**
 * What {@code cimq export} writes: {@code ort}, standard ONNX ops only (opset 13 or newer) that
 * ONNX Runtime runs with cimq's results; {@code cimq}, the compact form with cimq's CIM nodes
 * (as {@code transform} writes it). The format is recorded in metadata_props under {@link #METADATA_KEY}.
 */
public enum ExportFormat {
    ORT("ort"), CIMQ("cimq");

    /** The metadata_props key holding the format's id. */
    public static final String METADATA_KEY = "cimq.export_format";

    private final String id;

    ExportFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
