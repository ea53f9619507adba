package org.cimq.cli.cim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.cimq.cim.config.CimConfig;
import org.cimq.cli.ExportAgreement;
import org.cimq.data.BatchIterator;
import org.cimq.data.Dataset;
import org.cimq.data.DatasetKind;
import org.cimq.data.Split;
import org.cimq.ir.Model;
import org.cimq.runtime.ModelLoader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Fashion-MNIST CNN in {@code models/} (layer-wise minmax steps from 200 train images), all
 * 10,000 test images, at L = 0, 2, 3, 5 with the default mapping and at L = 3 with the
 * channel-aligned mapping and with c = 2: ONNX Runtime on the standard-ops export against cimq on
 * the CIM model, with the same requirements as {@link ResnetExportTest} (same top-1 everywhere,
 * 1e-4 × max |logit| wherever the input codes agree, code differences only at rounding midpoints).
 */
class FashionExportTest {
    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("default", 0, new String[0]),
                Arguments.of("default", 2, new String[0]),
                Arguments.of("default", 3, new String[0]),
                Arguments.of("default", 5, new String[0]),
                Arguments.of("channel-aligned", 3, new String[] {"mapping", "channel-aligned"}),
                Arguments.of("c=2", 3, new String[] {"cell_bits", "2"}));
    }

    @ParameterizedTest(name = "{0} at L={1}")
    @MethodSource("configs")
    void ortOnTheExportMatchesCimqOnTheCimModel(String name, int levels, String[] settings) throws Exception {
        Path source = Path.of(System.getProperty("cimq.repo", ".."), "models", "fashion_mnist_cnn.onnx");
        CimConfig cfg = CimConfig.DEFAULTS.with("adc_levels", Integer.toString(levels));
        for (int i = 0; i < settings.length; i += 2) {
            cfg = cfg.with(settings[i], settings[i + 1]);
        }
        Dataset train = DatasetKind.FASHION_MNIST.open(DATA, Split.TRAIN).limit(200);
        Model cim = CimBuild.run(ModelLoader.load(source), source, cfg, train, null, 100,
                new PrintWriter(new StringWriter()), true).result().model();
        ExportAgreement.Result r;
        try (BatchIterator it = DatasetKind.FASHION_MNIST.open(DATA, Split.TEST).batches(500)) {
            r = ExportAgreement.compare(cim, dir.resolve("fashion.onnx"), it);
        }
        System.out.println("Fashion-MNIST CNN " + name + " L=" + levels + " export vs cimq: " + r.summary());
        assertEquals(10_000, r.images());
        assertTrue(r.unexplained().isEmpty(), "code differences that are not rounding midpoints: " + r.unexplained());
        assertTrue(r.maxDiffClean() <= 1e-4 * r.maxLogit(), r.summary());
        assertTrue(r.flipped() <= r.images() / 50, r.summary());
        assertEquals(0, r.top1Disagree(), r.summary());
    }
}
