package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.DType;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.runtime.Executor;
import org.cimq.runtime.cim.InputMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A QDQ model's integers and scales reach the CIM arrays and output scaling unchanged, its
 * input scales are taken rather than calibrated, and with L = 0 the CIM model computes what the
 * QDQ model itself computes (Σ (q·s_w)(a·s_x) in float versus (Σ q·a)·(s_w·s_x)) to float round-off.
 */
class QdqTransformTest {
    static final CimConfig CFG = CimConfig.DEFAULTS.with("digital_layers", "").with("input_bits", "8");

    static CimModelBuilder.Result build(Model prepared, CimConfig cfg) {
        Iterator<INDArray> none = new Iterator<>() {
            @Override
            public boolean hasNext() {
                throw new AssertionError("QDQ layers must not be calibrated");
            }

            @Override
            public INDArray next() {
                throw new AssertionError("QDQ layers must not be calibrated");
            }
        };
        return new CimModelBuilder(cfg).build(prepared, () -> none, 0, null, null);
    }

    @Test
    void findsBothLayersWithTheModelsIntegersAndScales() {
        Model prepared = QdqPreparation.prepare(QdqTestModels.build(QdqTestModels.Spec.plain()));
        List<MappedLayer> layers = MappedLayers.find(prepared.graph());
        assertEquals(2, layers.size());
        MappedLayer conv = layers.get(0);
        MappedLayer gemm = layers.get(1);
        assertArrayEquals(QdqTestModels.convWeights(QdqTestModels.Spec.plain()), conv.givenWeight().q());
        assertArrayEquals(QdqTestModels.S_W1, conv.givenWeight().scales());
        assertEquals(DType.INT8, gemm.givenWeight().type(), "QuantizeLinear of float weights folded to int8");
        assertArrayEquals(new float[] {QdqTestModels.S_W2, QdqTestModels.S_W2, QdqTestModels.S_W2},
                gemm.givenWeight().scales());
        int[] q2 = QdqTestModels.gemmWeights();
        for (int k = 0; k < 100; k++) {
            for (int n = 0; n < 3; n++) {
                assertEquals(q2[n * 100 + k], gemm.givenWeight().q()[k * 3 + n], "transB applied to the integers");
            }
        }
        assertEquals(QdqTestModels.S_X1, conv.givenInput().scale());
        assertEquals(QdqTestModels.S_X2, gemm.givenInput().scale());
        assertEquals("x", conv.givenInput().source().name());
        assertNull(gemm.givenInput().source(), "the Gemm reads the pair through Flatten");
    }

    @Test
    void arraysAndOutputScalesHoldTheModelsValues() {
        Model prepared = QdqPreparation.prepare(QdqTestModels.build(QdqTestModels.Spec.plain()));
        CimModelBuilder.Result r = build(prepared, CFG);
        String conv = r.layers().get(0).name();
        String gemm = r.layers().get(1).name();
        assertEquals(InputMode.UNSIGNED, r.inputs().get(conv).mode());
        assertEquals(QdqTestModels.S_X2, r.inputs().get(gemm).scale());
        int[] q1 = QdqTestModels.convWeights(QdqTestModels.Spec.plain());
        float[] slices1 = constant(r.model(), conv + "/cim/array0_slices").toFloatArray();
        for (int i = 0; i < q1.length; i++) {
            assertEquals(q1[i], slices1[i] + 2 * slices1[q1.length + i] + 4 * slices1[2 * q1.length + i], "conv q at " + i);
        }
        int[] q2 = QdqTestModels.gemmWeights();
        float[] slices2 = constant(r.model(), gemm + "/cim/array0_slices").toFloatArray();
        for (int n = 0; n < 3; n++) {
            for (int k = 0; k < 100; k++) {
                int at = k * 3 + n;
                assertEquals(q2[n * 100 + k], slices2[at] + 2 * slices2[300 + at] + 4 * slices2[600 + at], "gemm q");
            }
        }
        float[] scale1 = constant(r.model(), conv + "/cim/output_scale").toFloatArray();
        for (int n = 0; n < 4; n++) {
            assertEquals(QdqTestModels.S_W1[n] * QdqTestModels.S_X1, scale1[n]);
        }
        float[] scale2 = constant(r.model(), gemm + "/cim/output_scale").toFloatArray();
        assertArrayEquals(new float[] {QdqTestModels.S_W2 * QdqTestModels.S_X2, QdqTestModels.S_W2 * QdqTestModels.S_X2,
                QdqTestModels.S_W2 * QdqTestModels.S_X2}, scale2);
        assertEquals(List.of("quantizelinear_5", "dequantizelinear_6"), r.model().graph().nodes().stream()
                .filter(n -> n.opType().equals("QuantizeLinear") || n.opType().equals("DequantizeLinear")).map(Node::name)
                .toList(), "only the pair read through Flatten is left");
        assertTrue(r.model().graph().initializers().keySet().stream().noneMatch(k -> k.equals("s_w1") || k.equals("z_w1")),
                "the weight DequantizeLinear's constants removed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"uint8", "int8 split", "int8 twos-complement"})
    void noAdcEqualsTheQdqModelToRoundOff(String variant) {
        boolean signed = variant.startsWith("int8");
        QdqTestModels.Spec spec = new QdqTestModels.Spec(signed ? DType.INT8 : DType.UINT8, 0, 0, 7, true);
        CimConfig cfg = signed ? CFG.with("signed_inputs", variant.substring(5)) : CFG;
        Model prepared = QdqPreparation.prepare(QdqTestModels.build(spec));
        Model cim = build(prepared, cfg).model();
        for (long seed = 1; seed <= 4; seed++) {
            INDArray x = QdqTestModels.images(seed, 16);
            float[] expected = run(prepared, x);
            float[] actual = run(cim, x);
            double max = 0;
            double err = 0;
            for (int i = 0; i < expected.length; i++) {
                max = Math.max(max, Math.abs(expected[i]));
                err = Math.max(err, Math.abs(expected[i] - actual[i]));
            }
            assertTrue(max > 0.1, "outputs are not trivial: " + max);
            assertTrue(err <= 1e-5 * max, "max |error| " + err + " over max |y| " + max);
            for (int b = 0; b < 16; b++) {
                assertEquals(argmax(expected, b), argmax(actual, b), "argmax of image " + b);
            }
        }
    }

    @Test
    void aLayerWithoutAQdqInputIsCalibrated() {
        Model prepared = QdqPreparation.prepare(QdqTestModels.build(new QdqTestModels.Spec(DType.UINT8, 0, 0, 7, false)));
        List<INDArray> calib = List.of(QdqTestModels.images(9, 8));
        CimModelBuilder.Result r = new CimModelBuilder(CFG).build(prepared, calib::iterator, 8, null, null);
        assertNull(r.inputs().get(r.layers().get(0).name()).stats(), "given scale");
        assertEquals(QdqTestModels.S_X1, r.inputs().get(r.layers().get(0).name()).scale());
        assertNotNull(r.inputs().get(r.layers().get(1).name()).stats(), "calibrated scale");
        assertNotNull(r.layers().get(1).givenWeight(), "its weights still come from the model");
    }

    private static Tensor constant(Model m, String name) {
        assertTrue(m.graph().initializers().containsKey(name), name + " in " + m.graph().initializers().keySet());
        return m.graph().initializers().get(name).constant();
    }

    private static float[] run(Model m, INDArray x) {
        return new Executor(m).run(x)[0].dup('c').data().asFloat();
    }

    private static int argmax(float[] y, int row) {
        int best = 0;
        for (int c = 1; c < 3; c++) {
            if (y[row * 3 + c] > y[row * 3 + best]) {
                best = c;
            }
        }
        return best;
    }
}
