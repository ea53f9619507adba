package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.export.OrtLowering;
import org.cimq.cli.cim.CimBuild;
import org.cimq.data.Batch;
import org.cimq.data.BatchIterator;
import org.cimq.data.Dataset;
import org.cimq.data.DatasetKind;
import org.cimq.data.Split;
import org.cimq.ir.Attr;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.onnx.OnnxImporter;
import org.cimq.onnx.OnnxWriter;
import org.cimq.runtime.ModelLoader;
import org.cimq.runtime.cim.CimOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tiny CIM net transformed under many configurations at L = 0, 3 and 2, lowered to standard
 * ONNX: ONNX Runtime's logits equal cimq's on the org.cimq model within 1e-4 × max |logit|, with
 * the same top-1, and the lowered file passes onnx.checker's full check.
 */
class OrtExportAgreementTest {
    @TempDir
    Path dir;

    static Stream<Arguments> configs() {
        String[][] configs = {
            {"default"},
            {"all layers, 16 rows", "digital_layers", "", "rows", "16"},
            {"c=2", "digital_layers", "", "rows", "16", "cell_bits", "2"},
            {"d=2", "digital_layers", "", "rows", "16", "dac_bits", "2"},
            {"offset weights", "digital_layers", "", "rows", "16", "weight_scheme", "offset"},
            {"two's-complement weights", "digital_layers", "", "rows", "16", "weight_scheme", "twos-complement"},
            {"channel-aligned", "digital_layers", "", "rows", "20", "mapping", "channel-aligned"},
            {"balanced", "digital_layers", "", "rows", "20", "mapping", "balanced"},
            {"array steps, 8 columns", "digital_layers", "", "rows", "16", "cols", "8", "granularity", "array"},
            {"split signed input", "digital_layers", "", "rows", "16", "signed_inputs", "split"},
            {"two's-complement signed input", "digital_layers", "", "rows", "16", "signed_inputs", "twos-complement",
                "dac_bits", "2"},
        };
        Stream.Builder<Arguments> s = Stream.builder();
        for (String[] c : configs) {
            for (int levels : new int[] {0, 3, 2}) {
                s.add(Arguments.of(c, levels));
            }
        }
        s.add(Arguments.of(new String[] {"mid-rise", "digital_layers", "", "rows", "16", "quantizer", "mid-rise"}, 2));
        s.add(Arguments.of(new String[] {"mid-rise, L=4", "digital_layers", "", "rows", "16", "quantizer", "mid-rise"}, 4));
        return s.build();
    }

    @ParameterizedTest(name = "{0} at L={1}")
    @MethodSource("configs")
    void ortRunsTheLoweredModelAsCimqRunsTheCimModel(String[] config, int levels) throws Exception {
        TinyImages.write(dir, 40, 10);
        boolean signed = config[0].contains("signed");
        Path source = TinyModels.cimNet(dir, !signed);
        CimConfig cfg = CimConfig.DEFAULTS.with("adc_levels", Integer.toString(levels));
        for (int i = 1; i < config.length; i += 2) {
            cfg = cfg.with(config[i], config[i + 1]);
        }
        assertLoweredAgrees(build(source, cfg), config[0] + " at L=" + levels);
    }

    /** Per-column ADC steps (a deltas tensor on every AdcQuantize, as column granularity writes them). */
    @Test
    void columnSteps() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path source = TinyModels.cimNet(dir, true);
        CimConfig cfg = CimConfig.DEFAULTS.with("adc_levels", "5").with("digital_layers", "").with("rows", "16")
                .with("weight_scheme", "offset");
        Model cim = build(source, cfg);
        Random rnd = new Random(11);
        int edited = 0;
        for (Node adc : cim.graph().nodes()) {
            if (!adc.opType().equals(CimOps.ADC)) {
                continue;
            }
            Node array = adc.input(0).producer();
            long[] ws = array.input(1).constant().shape();
            boolean conv = array.attrString("kind", "").equals("conv");
            long[] shape = new long[conv ? ws.length + 1 : 4];
            Arrays.fill(shape, 1);
            shape[1] = ws[0];
            shape[3] = conv ? ws[1] : ws[2];
            float[] steps = new float[(int) (shape[1] * shape[3])];
            float delta = adc.attrFloat("delta", Float.NaN);
            for (int i = 0; i < steps.length; i++) {
                steps[i] = delta * (0.25f + 0.125f * rnd.nextInt(12));
            }
            adc.attributes().remove("delta");
            adc.setAttr("deltas", new Attr.TensorAttr(Tensor.ofFloats(shape, steps)));
            edited++;
        }
        assertEquals(13, edited);
        assertLoweredAgrees(cim, "column steps");
    }

    private Model build(Path source, CimConfig cfg) {
        Dataset train = DatasetKind.FASHION_MNIST.open(dir, Split.TRAIN).limit(30);
        return CimBuild.run(ModelLoader.load(source), source, cfg, train, null, 7,
                new PrintWriter(new StringWriter()), true).result().model();
    }

    private void assertLoweredAgrees(Model cim, String what) throws Exception {
        Model lowered = OrtLowering.apply(OnnxImporter.load(OnnxWriter.toBytes(cim), "copy"));
        for (Node n : lowered.graph().nodes()) {
            assertTrue(n.domain().isEmpty(), n.describe() + " is not a standard ONNX node");
        }
        assertEquals("image", lowered.graph().inputs().get(0).name());
        assertEquals("logits", lowered.graph().outputs().get(0).name());
        Path file = dir.resolve("lowered.onnx");
        OnnxWriter.write(lowered, file);
        OnnxChecker.check(file);

        Batch b = testImages();
        float[] expected = OrtRunner.cimq(cim, b.images(), b.shape());
        float[] actual = OrtRunner.ort(file, b.images(), b.shape());
        double rel = OrtRunner.assertAgrees(expected, actual, 10, what);
        System.out.printf("export agreement: %s: max |diff| / max |logit| = %.3g%n", what, rel);

        long[] three = b.shape().clone();
        three[0] = 3;
        float[] firstThree = Arrays.copyOf(b.images(), b.images().length / b.count() * 3);
        OrtRunner.assertAgrees(Arrays.copyOf(expected, 30), OrtRunner.ort(file, firstThree, three), 10, what + ", batch 3");
    }

    private Batch testImages() {
        try (BatchIterator it = DatasetKind.FASHION_MNIST.open(dir, Split.TEST).batches(10)) {
            return it.next();
        }
    }
}
