package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.export.ExportException;
import org.cimq.cim.export.OrtLowering;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.onnx.OnnxImporter;
import org.cimq.onnx.OnnxWriter;
import org.cimq.runtime.Executor;
import org.cimq.runtime.cim.CimOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The lowered model (standard ONNX ops only) of a model with every layer kind (plain, grouped,
 * depthwise, strided, dilated Conv; Gemm; MatMul) and a signed first layer, under every weight
 * scheme, both mappings, c and d of 1 and 2: run by cimq's Executor it equals the org.cimq model
 * exactly without ADC; run by ONNX Runtime it agrees within 1e-4 × max |output| at L = 0 and 9.
 */
class OrtLoweringTest {
    static Stream<Arguments> configs() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (String c : new String[] {"rows=128", "rows=5", "rows=7,cell_bits=2,dac_bits=2", "rows=9,mapping=channel-aligned",
            "rows=10,mapping=balanced",
            "rows=6,weight_scheme=offset,digital_layers=1", "rows=6,weight_scheme=twos-complement,cell_bits=2",
            "rows=4,weight_bits=6,input_bits=5,dac_bits=2,signed_inputs=twos-complement"}) {
            s.add(Arguments.of(c, 0));
            s.add(Arguments.of(c, 9));
        }
        return s.build();
    }

    @ParameterizedTest(name = "{0} at L={1}")
    @MethodSource("configs")
    void loweredModelComputesTheCimModel(String overrides, int levels) throws Exception {
        CimConfig cfg = CimConfig.DEFAULTS.with("digital_layers", "").with("signed_inputs", "split")
                .with("adc_levels", Integer.toString(levels));
        for (String kv : overrides.split(",")) {
            String[] p = kv.split("=", 2);
            cfg = cfg.with(p[0], p[1]);
        }
        List<INDArray> calib = CimTestModels.batches(11, 2, 8);
        Model cim = new CimModelBuilder(cfg).build(CimTestModels.mixed(7), () -> calib.iterator(), 16, null, null).model();
        assertLoweredAgrees(cim, CimTestModels.batches(99, 1, 5).get(0), overrides + " at L=" + levels, levels == 0);
    }

    /** A QDQ model's CIM form (the model's own integers and scales, 8-bit inputs) lowers as well. */
    @Test
    void qdqModel() throws Exception {
        Model prepared = QdqPreparation.prepare(QdqTestModels.build(QdqTestModels.Spec.plain()));
        Model cim = QdqTransformTest.build(prepared, QdqTransformTest.CFG).model();
        assertLoweredAgrees(cim, QdqTestModels.images(5, 4), "QDQ model", true);
    }

    private static void assertLoweredAgrees(Model cim, INDArray x, String what, boolean exact) throws Exception {
        Model lowered = OrtLowering.apply(OnnxImporter.load(OnnxWriter.toBytes(cim), "copy"));
        assertFalse(lowered.opsetImports().containsKey(CimOps.DOMAIN));
        for (Node n : lowered.graph().nodes()) {
            assertTrue(n.domain().isEmpty(), n.describe());
        }

        float[] expected = run(cim, x);
        float[] cimqLowered = run(lowered, x);
        float[] ort = ort(lowered, x);
        double max = 0;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i]));
            diff = Math.max(diff, Math.max(Math.abs(expected[i] - ort[i]), Math.abs(expected[i] - cimqLowered[i])));
        }
        assertTrue(max > 0, "the CIM model's outputs are all zero");
        System.out.printf("lowering agreement: %s: max |diff| / max |output| = %.3g%n", what, diff / max);
        if (exact) {
            assertArrayEquals(expected, cimqLowered, 0f);
        }
        assertTrue(diff <= 1e-4 * max, "max |difference| " + diff + " vs max |output| " + max);
    }

    @Test
    void opsetBelow13IsRefused() {
        Model m = OnnxImporter.load(OnnxWriter.toBytes(CimTestModels.mixed(7)), "copy");
        m.opsetImports().put("", 12L);
        ExportException e = org.junit.jupiter.api.Assertions.assertThrows(ExportException.class, () -> OrtLowering.apply(m));
        assertTrue(e.getMessage().contains("opset 12"), e.getMessage());
        assertEquals(12L, m.opsetImports().get(""));
    }

    private static float[] run(Model m, INDArray x) {
        return new Executor(m).run(x)[0].dup('c').data().asFloat();
    }

    private static float[] ort(Model m, INDArray x) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] in = x.dup('c').data().asFloat();
        try (OrtSession s = env.createSession(OnnxWriter.toBytes(m));
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), x.shape());
             OrtSession.Result r = s.run(Map.of(m.graph().inputs().get(0).name(), t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
    }
}
