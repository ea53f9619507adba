package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cimq.cim.config.CimConfig;
import org.cimq.cli.cim.CimBuild;
import org.cimq.cli.cim.Provenance;
import org.cimq.data.Batch;
import org.cimq.data.BatchIterator;
import org.cimq.data.Dataset;
import org.cimq.data.DatasetKind;
import org.cimq.data.Split;
import org.cimq.ir.Model;
import org.cimq.onnx.OnnxImporter;
import org.cimq.runtime.Executor;
import org.cimq.runtime.ModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class TransformCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private CliRun transform(Path model, String... more) {
        String[] base = {"transform", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
            "--calib-images", "30", "--batch", "7", "-q"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.of(args);
    }

    @Test
    void writtenModelCarriesProvenanceAndRunsLikeTheInMemoryModel() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path model = TinyModels.cimNet(dir, true);
        Path out = dir.resolve("out/cim.onnx");
        Path ranges = dir.resolve("ranges.json");
        CliRun r = transform(model, "--rows", "16", "-L", "5", "--digital-layers=", "-o", out.toString(),
                "--ranges-out", ranges.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("wrote " + out), r.out());

        Model written = OnnxImporter.load(out);
        var meta = written.metadata();
        assertEquals(Provenance.sha256(model), meta.get("cimq.source_sha256"));
        assertEquals("minmax", meta.get("cimq.ranges_method"));
        assertTrue(meta.containsKey("cimq.version"));
        JsonNode config = JSON.readTree(meta.get("cimq.config"));
        assertEquals(16, config.get("rows").asInt());
        assertEquals(5, config.get("adc_levels").asInt());
        JsonNode calib = JSON.readTree(meta.get("cimq.calibration"));
        assertEquals("fashion-mnist", calib.get("dataset").asText());
        assertEquals("train", calib.get("split").asText());
        assertEquals(30, calib.get("images").asInt());

        CimConfig cfg = CimConfig.DEFAULTS.with("rows", "16").with("adc_levels", "5").with("digital_layers", "");
        Dataset train = DatasetKind.FASHION_MNIST.open(dir, Split.TRAIN).limit(30);
        CimBuild.Built inMemory = CimBuild.run(ModelLoader.load(model), model, cfg, train, null, 7,
                new PrintWriter(new StringWriter()), true);
        INDArray x = testImages();
        float[] expected = logits(inMemory.result().model(), x);
        assertArrayEquals(expected, logits(ModelLoader.load(out), x));

        Path again = dir.resolve("again.onnx");
        CliRun fromFile = transform(model, "--rows", "16", "-L", "5", "--digital-layers=", "-o", again.toString(),
                "--ranges", ranges.toString());
        assertEquals(0, fromFile.exit(), fromFile.err());
        assertEquals("file:ranges.json", OnnxImporter.load(again).metadata().get("cimq.ranges_method"));
        assertArrayEquals(expected, logits(ModelLoader.load(again), x));
    }

    @Test
    void inspectListsTheNodesOfATransformedModel() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path out = dir.resolve("cim.onnx");
        assertEquals(0, transform(TinyModels.cimNet(dir, true), "--rows", "16", "-L", "5", "--digital-layers=",
                "-o", out.toString()).exit());
        Path json = dir.resolve("inspect.json");
        CliRun r = CliRun.of("inspect", out.toString(), "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("CIM nodes (already transformed, 3 layers)"), r.out());
        assertTrue(r.out().contains("total: 13 CimArray nodes (one per row tile), 13 AdcQuantize nodes"), r.out());
        JsonNode layers = JSON.readTree(json.toFile()).get("cimNodes");
        int[] tiles = {1, 3, 9};
        for (int i = 0; i < 3; i++) {
            JsonNode l = layers.get(i);
            assertEquals(tiles[i], l.get("arrayNodes").asInt(), l.toString());
            assertEquals(tiles[i], l.get("adcNodes").asInt(), l.toString());
            assertEquals(5, l.get("levels").asInt());
            assertEquals("unsigned", l.get("inputMode").asText());
            assertTrue(l.get("inputScale").asDouble() > 0);
        }
        assertEquals(1, CliRun.of("inspect", out.toString(), "--cim").exit());
    }

    @Test
    void rangesFileMissingALayerFailsNamingFileAndLayer() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path ranges = dir.resolve("short.json");
        Files.writeString(ranges, "{\"format\": \"cimq-ranges\", \"version\": 1, \"method\": \"minmax\", "
                + "\"granularity\": \"layer\", \"quantizer\": \"zero-tread\", "
                + "\"layers\": [{\"node\": \"conv2\", \"levels\": 5, \"delta\": 4.0}]}");
        Path out = dir.resolve("cim.onnx");
        CliRun r = transform(TinyModels.cimNet(dir, true), "--digital-layers=", "--ranges", ranges.toString(), "-o", out.toString());
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("cimq: error: " + ranges + ": "), r.err());
        assertTrue(r.err().contains("no range for mapped layer 'conv1'"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void signedInputOfAMappedLayerFailsNamingTheLayer() throws Exception {
        TinyImages.write(dir, 40, 10);
        CliRun r = transform(TinyModels.cimNet(dir, false), "--digital-layers", "last", "-o", dir.resolve("x.onnx").toString());
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("cimq: error: layer 'conv1': its input is signed"), r.err());
    }

    @Test
    void badValuesAndOptions() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path model = TinyModels.cimNet(dir, true);
        CliRun bad = transform(model, "-L", "1", "-o", dir.resolve("x.onnx").toString());
        assertEquals(1, bad.exit());
        assertEquals(1, bad.err().lines().count(), bad.err());
        assertTrue(bad.err().startsWith("cimq: error: adc_levels: "), bad.err());
        assertEquals(2, transform(model, "--split", "test", "-o", dir.resolve("x.onnx").toString()).exit());
        assertEquals(2, transform(model).exit());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }

    private INDArray testImages() {
        try (BatchIterator it = DatasetKind.FASHION_MNIST.open(dir, Split.TEST).batches(10)) {
            Batch b = it.next();
            return b.toNdArray();
        }
    }

    private static float[] logits(Model m, INDArray x) {
        return new Executor(m).run(x)[0].dup('c').data().asFloat();
    }
}
