package org.cimq.cli.cim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.cimq.cli.VersionProvider;
import org.cimq.ir.Model;

/**
 * The metadata_props a transformed model carries: {@code cimq.version}, {@code cimq.config} (the
 * configuration as JSON, file field names), {@code cimq.source_sha256} (of the float model file),
 * {@code cimq.ranges_method} and {@code cimq.calibration} (JSON: dataset, split, images).
 */
public final class Provenance {
    public static final String VERSION = "cimq.version";
    public static final String CONFIG = "cimq.config";
    public static final String SOURCE_SHA256 = "cimq.source_sha256";
    public static final String RANGES_METHOD = "cimq.ranges_method";
    public static final String CALIBRATION = "cimq.calibration";
    static final ObjectMapper JSON = new ObjectMapper();

    private Provenance() {
    }

    /** Writes the keys into {@code m}'s metadata, replacing earlier values. */
    public static void stamp(Model m, CimBuild.Built b, Path source) {
        m.metadata().put(VERSION, VersionProvider.version());
        m.metadata().put(CONFIG, json(b.config().toMap()));
        m.metadata().put(SOURCE_SHA256, sha256(source));
        m.metadata().put(RANGES_METHOD, b.rangesMethod());
        m.metadata().put(CALIBRATION, json(b.calibration().toMap()));
    }

    /** The SHA-256 of {@code file}'s bytes, lower-case hex. */
    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + o + " as JSON", e);
        }
    }
}
