package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cimq.cli.cim.Provenance;
import org.cimq.data.Batch;
import org.cimq.data.BatchIterator;
import org.cimq.data.DatasetKind;
import org.cimq.data.Split;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.onnx.OnnxImporter;
import org.cimq.onnx.OnnxWriter;
import org.cimq.runtime.ModelLoader;
import org.cimq.runtime.cim.CimOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
    @TempDir
    Path dir;

    private static CliRun export(Path model, Path data, String... more) {
        String[] base = {"export", model.toString(), "--dataset", "fashion-mnist", "--data", data.toString(), "-q"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.of(args);
    }

    @Test
    void ortExportRunsInOnnxRuntimeAsTheTransformedModelRunsInCimq() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path model = TinyModels.cimNet(dir, true);
        Path out = dir.resolve("out/ort.onnx");
        CliRun r = export(model, dir, "--calib-images", "30", "--batch", "7", "--rows", "16", "-L", "5",
                "--digital-layers=", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("wrote " + out + " (format ort)"), r.out());
        Path cim = dir.resolve("cim.onnx");
        assertEquals(0, CliRun.of("transform", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--calib-images", "30", "--batch", "7", "--rows", "16", "-L", "5", "--digital-layers=", "-q",
                "-o", cim.toString()).exit());

        Model written = OnnxImporter.load(out);
        assertEquals("ort", written.metadata().get("cimq.export_format"));
        assertEquals(Provenance.sha256(model), written.metadata().get(Provenance.SOURCE_SHA256));
        assertEquals("minmax", written.metadata().get(Provenance.RANGES_METHOD));
        assertTrue(written.metadata().containsKey(Provenance.CONFIG) && written.metadata().containsKey(Provenance.CALIBRATION));
        assertFalse(written.opsetImports().containsKey(CimOps.DOMAIN));
        for (Node n : written.graph().nodes()) {
            assertTrue(n.domain().isEmpty(), n.describe());
        }
        assertEquals("image", written.graph().inputs().get(0).name());
        assertEquals("batch", written.graph().inputs().get(0).type().dims().get(0).param());
        assertEquals("logits", written.graph().outputs().get(0).name());
        OnnxChecker.check(out);

        Batch b = testImages(dir, 10);
        float[] expected = OrtRunner.cimq(ModelLoader.load(cim), b.images(), b.shape());
        OrtRunner.assertAgrees(expected, OrtRunner.ort(out, b.images(), b.shape()), 10, "cimq export --format ort");
        OrtRunner.assertAgrees(expected, OrtRunner.cimq(ModelLoader.load(out), b.images(), b.shape()), 10, "cimq on the ort form");
        for (String engine : new String[] {"cimq", "ort"}) {
            CliRun eval = CliRun.of("eval", out.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                    "--engine", engine, "-q");
            assertEquals(0, eval.exit(), engine + ": " + eval.err());
        }
    }

    @Test
    void cimqFormatWritesTheTransformedModel() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path model = TinyModels.cimNet(dir, true);
        Path out = dir.resolve("cimq.onnx");
        CliRun r = export(model, dir, "--calib-images", "30", "--rows", "16", "-L", "3", "--digital-layers=",
                "--format", "cimq", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        Path cim = dir.resolve("cim.onnx");
        assertEquals(0, CliRun.of("transform", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--calib-images", "30", "--rows", "16", "-L", "3", "--digital-layers=", "-q", "-o", cim.toString()).exit());
        Model written = OnnxImporter.load(out);
        assertEquals("cimq", written.metadata().get("cimq.export_format"));
        assertEquals(1L, written.opsetImports().get(CimOps.DOMAIN));
        Batch b = testImages(dir, 10);
        assertArrayEquals(OrtRunner.cimq(ModelLoader.load(cim), b.images(), b.shape()),
                OrtRunner.cimq(ModelLoader.load(out), b.images(), b.shape()));
    }

    @Test
    void unknownFormatIsAUsageError() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path out = dir.resolve("x.onnx");
        CliRun r = export(TinyModels.cimNet(dir, true), dir, "--format", "onnx", "-o", out.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--format"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void importExportImportOfAPlainModelKeepsTheGraph() throws Exception {
        Path fashion = Path.of(System.getProperty("cimq.repo", ".."), "models", "fashion_mnist_cnn.onnx");
        for (Path file : new Path[] {fashion, TinyModels.cimNet(dir, true)}) {
            Model first = OnnxImporter.load(file);
            byte[] once = OnnxWriter.toBytes(first);
            Model second = OnnxImporter.load(once, "exported " + file);
            assertArrayEquals(once, OnnxWriter.toBytes(second), file + ": export of the re-imported model differs");
            assertEquals(first.graph().nodes().size(), second.graph().nodes().size());
            for (int i = 0; i < first.graph().nodes().size(); i++) {
                Node a = first.graph().nodes().get(i);
                Node c = second.graph().nodes().get(i);
                assertEquals(a.opType() + " " + a.name() + " " + a.attributes().keySet(),
                        c.opType() + " " + c.name() + " " + c.attributes().keySet());
            }
            assertEquals(first.graph().initializers().keySet(), second.graph().initializers().keySet());
        }
    }

    /** The Fashion-MNIST CNN at L = 3 on 300 test images: the ort export in ONNX Runtime agrees with the cimq export in cimq. */
    @Test
    void fashionMnistCnnAtThreeLevels() throws Exception {
        Path model = Path.of(System.getProperty("cimq.repo", ".."), "models", "fashion_mnist_cnn.onnx");
        Path data = Path.of("/usr/share/datasets/fashion-mnist");
        Path ort = dir.resolve("fashion_ort.onnx");
        Path cimq = dir.resolve("fashion_cimq.onnx");
        for (String[] f : new String[][] {{"ort", ort.toString()}, {"cimq", cimq.toString()}}) {
            CliRun r = export(model, data, "-L", "3", "--calib-images", "200", "--format", f[0], "-o", f[1]);
            assertEquals(0, r.exit(), r.err());
        }
        OnnxChecker.check(ort);
        Model cim = ModelLoader.load(cimq);
        double worst = 0;
        try (BatchIterator it = DatasetKind.FASHION_MNIST.open(data, Split.TEST).limit(300).batches(100)) {
            while (it.hasNext()) {
                Batch b = it.next();
                worst = Math.max(worst, OrtRunner.assertAgrees(OrtRunner.cimq(cim, b.images(), b.shape()),
                        OrtRunner.ort(ort, b.images(), b.shape()), 10, "Fashion-MNIST CNN at L=3"));
            }
        }
        System.out.printf("export agreement: Fashion-MNIST CNN at L=3, 300 test images: max |diff| / max |logit| = %.3g%n", worst);
    }

    private static Batch testImages(Path data, int n) {
        try (BatchIterator it = DatasetKind.FASHION_MNIST.open(data, Split.TEST).batches(n)) {
            return it.next();
        }
    }
}
