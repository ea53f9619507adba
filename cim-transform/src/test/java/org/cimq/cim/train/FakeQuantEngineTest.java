package org.cimq.cim.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.LayerSelection;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.MappedLayers;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Model;
import org.cimq.runtime.Executor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fake-quant engine ({@link Backward#FAKE_QUANT}): its logits are the runtime CIM model's,
 * bit for bit (reference kernels, built by {@link CimModelBuilder} from the same weights, input
 * scales and steps); without an ADC its gradients equal the SameDiff fake-quantized graph's, and
 * the scaled variant ({@link Backward#FAKE_QUANT_SCALED}) changes them only where ADCs clip.
 */
class FakeQuantEngineTest {
    private static final CimConfig ALL_MAPPED = CimConfig.DEFAULTS.with("digital_layers", "").with("rows", "16");
    private static final CimConfig EDGES_DIGITAL = CimConfig.DEFAULTS.with("rows", "16");

    @Test
    void logitsAreTheRuntimeCimModelsBitForBit() {
        for (CimConfig cfg : new CimConfig[] {ALL_MAPPED.with("adc_levels", "3"), ALL_MAPPED.with("adc_levels", "5").with("cell_bits", "2"),
            ALL_MAPPED.with("adc_levels", "7").with("dac_bits", "2"), EDGES_DIGITAL.with("adc_levels", "3"), ALL_MAPPED,
            ALL_MAPPED.with("adc_levels", "2").with("quantizer", "mid-rise"), EDGES_DIGITAL.with("adc_levels", "4").with("quantizer", "mid-rise")}) {
            for (Model prepared : new Model[] {TrainTestModels.cnn(3), TrainTestModels.shortcut(4)}) {
                Engine e = engine(prepared, cfg);
                INDArray x = TrainTestModels.batches(9, 1, 8).get(0);
                INDArray want = new Executor(e.reference).run(x)[0];
                TrainingGraph.Step s = e.step.step(x, oneHot(8, 0));
                assertArrayEquals(want.dup('c').data().asFloat(), s.logits().dup('c').data().asFloat(), cfg.toMap().toString());
                assertEquals(CrossEntropy.mean(want, oneHot(8, 0)), s.loss(), 0);
            }
        }
    }

    @Test
    void withoutAdcTheGradientsAreTheFakeQuantizedGraphs() {
        for (CimConfig cfg : new CimConfig[] {ALL_MAPPED, EDGES_DIGITAL, ALL_MAPPED.with("cell_bits", "2").with("dac_bits", "2")}) {
            for (Model prepared : new Model[] {TrainTestModels.cnn(3), TrainTestModels.shortcut(4), TrainTestModels.pooledHead(5)}) {
                Engine e = engine(prepared, cfg);
                INDArray x = TrainTestModels.batches(11, 1, 16).get(0);
                INDArray y = oneHot(16, 1);
                Map<String, INDArray> got = TrainTestSetup.copy(e.step.step(x, y).gradients());
                TrainingGraph g = TrainingGraph.build(prepared, cfg, e.layers, e.quant, Parameters.of(prepared), 3, true);
                Map<String, INDArray> want = TrainTestSetup.copy(g.step(x, y).gradients());
                assertEquals(want.keySet(), got.keySet());
                for (String k : want.keySet()) {
                    double scale = want.get(k).amaxNumber().doubleValue();
                    assertTrue(scale > 0, k + ": zero gradient");
                    assertArrayEquals(want.get(k).shape(), got.get(k).shape(), k);
                    double diff = want.get(k).sub(got.get(k)).amaxNumber().doubleValue();
                    assertTrue(diff <= 1e-4 * scale, cfg.toMap() + " " + k + ": max |difference| " + diff + " vs max |gradient| " + scale);
                }
            }
        }
    }

    @Test
    void scalingLeavesTheLosslessGradientAndShrinksAClippedOne() {
        Model prepared = TrainTestModels.cnn(3);
        INDArray x = TrainTestModels.batches(11, 1, 16).get(0);
        INDArray y = oneHot(16, 1);
        Engine lossless = engine(prepared, ALL_MAPPED);
        Map<String, INDArray> plain = TrainTestSetup.copy(lossless.step.step(x, y).gradients());
        Map<String, INDArray> scaled = TrainTestSetup.copy(scaledStep(prepared, ALL_MAPPED, lossless.quant).step(x, y).gradients());
        for (String k : plain.keySet()) {
            double diff = plain.get(k).sub(scaled.get(k)).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-5 * plain.get(k).amaxNumber().doubleValue(), k + ": scaling changed a lossless gradient by " + diff);
        }
        CimConfig cfg = ALL_MAPPED.with("adc_levels", "3");
        Map<String, LayerQuant> narrow = new java.util.LinkedHashMap<>();
        lossless.quant.forEach((k, v) -> narrow.put(k, new LayerQuant(v.inputScale(), 3, 1f, v.rowStarts())));
        Parameters params = Parameters.of(prepared);
        RuntimeCimStep ste = new RuntimeCimStep(new RuntimeCimForward(prepared, cfg, lossless.layers),
                new FakeQuantBackward(prepared, cfg, lossless.layers, params, false), params, narrow, lossless.layers);
        Map<String, INDArray> a = TrainTestSetup.copy(ste.step(x, y).gradients());
        Map<String, INDArray> b = TrainTestSetup.copy(scaledStep(prepared, cfg, narrow).step(x, y).gradients());
        assertArrayEquals(a.get("bg").dup('c').data().asFloat(), b.get("bg").dup('c').data().asFloat(), "the last bias sees dL/dy unscaled");
        double before = a.get("w2").norm2Number().doubleValue();
        double after = b.get("w2").norm2Number().doubleValue();
        assertTrue(after < 0.9 * before, "clipping ADCs did not shrink w2's gradient: " + before + " → " + after);
    }

    private static RuntimeCimStep scaledStep(Model prepared, CimConfig cfg, Map<String, LayerQuant> quant) {
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(prepared.graph()), cfg.digitalLayers());
        Parameters params = Parameters.of(prepared);
        return new RuntimeCimStep(new RuntimeCimForward(prepared, cfg, layers), new FakeQuantBackward(prepared, cfg, layers, params, true),
                params, quant, layers);
    }

    /** The engine for {@code prepared} with calibrated scales and minmax steps, and the reference CIM model they give. */
    private record Engine(RuntimeCimStep step, Model reference, List<MappedLayer> layers, Map<String, LayerQuant> quant) { }

    private static Engine engine(Model prepared, CimConfig cfg) {
        List<INDArray> calib = TrainTestModels.batches(5, 2, 16);
        CimModelBuilder.Result ref = new CimModelBuilder(cfg).build(prepared, calib::iterator, 32, (Map<String, AdcSetting>) null, null);
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(prepared.graph()), cfg.digitalLayers());
        Map<String, LayerQuant> quant = LayerQuants.of(layers, ref.inputs(), ref.adc(), cfg);
        Parameters params = Parameters.of(prepared);
        RuntimeCimStep step = new RuntimeCimStep(new RuntimeCimForward(prepared, cfg, layers),
                new FakeQuantBackward(prepared, cfg, layers, params, false), params, quant, layers);
        return new Engine(step, ref.model(), layers, quant);
    }

    private static INDArray oneHot(int n, int shift) {
        INDArray y = Nd4j.zeros(n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (i + shift) % 3, 1f);
        }
        return y;
    }
}
