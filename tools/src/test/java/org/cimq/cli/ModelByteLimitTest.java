package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cimq.onnx.ImportLimits;
import org.cimq.onnx.OnnxFormatException;
import org.cimq.onnx.OnnxImporter;
import org.cimq.onnx.proto.OnnxSchema.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --max-model-bytes} and the {@code cimq.maxModelBytes} property: the valid hostile-corpus
 * base model holds 18 + 2 floats = 80 bytes of tensors.
 */
class ModelByteLimitTest {
    @TempDir
    Path dir;

    private Path model() throws Exception {
        Path p = dir.resolve("small.onnx");
        Files.write(p, HostileModels.valid().toByteArray());
        return p;
    }

    @Test
    void cliOptionRefusesAModelOverTheLimitAndAcceptsOneAtIt() throws Exception {
        Path m = model();
        CliRun over = CliRun.of("inspect", m.toString(), "--max-model-bytes", "79");
        assertEquals(1, over.exit(), over.err());
        assertEquals(1, over.err().lines().count(), over.err());
        assertTrue(over.err().contains("small.onnx") && over.err().contains("limit of 79 bytes"), over.err());

        CliRun at = CliRun.of("inspect", m.toString(), "--max-model-bytes", "80");
        assertEquals(0, at.exit(), at.err());
        assertTrue(at.out().contains("parameters  20 (2 initializers)"), at.out());
        assertNull(System.getProperty(ImportLimits.MAX_MODEL_BYTES_PROPERTY), "the option must not outlive the run");
    }

    @Test
    void nonPositiveLimitIsAUsageError() throws Exception {
        CliRun r = CliRun.of("inspect", model().toString(), "--max-model-bytes", "0");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--max-model-bytes must be > 0"), r.err());
    }

    @Test
    void systemPropertyAppliesToTheLibrary() throws Exception {
        Path m = model();
        System.setProperty(ImportLimits.MAX_MODEL_BYTES_PROPERTY, "64");
        try {
            OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxImporter.load(m));
            assertTrue(e.getMessage().contains("above the limit of 64"), e.getMessage());
        } finally {
            System.clearProperty(ImportLimits.MAX_MODEL_BYTES_PROPERTY);
        }
        assertEquals(2, OnnxImporter.load(m).graph().initializers().size());
    }

    /** A tensor declared at 4 GiB with no data is refused by its declared size, before anything is read or allocated. */
    @Test
    void declaredSizeIsCheckedBeforeTheData() throws Exception {
        Path p = dir.resolve("declared.onnx");
        TensorProto huge = TensorProto.newBuilder().setName("w").setDataType(1).addDims(1L << 30).build();
        Files.write(p, HostileModels.model(HostileModels.baseGraph().setInitializer(0, huge).build()).toByteArray());
        CliRun r = CliRun.of("inspect", p.toString(), "--max-model-bytes", "1000000");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("needs 4294967296 bytes, above the limit of 1000000"), r.err());
    }
}
