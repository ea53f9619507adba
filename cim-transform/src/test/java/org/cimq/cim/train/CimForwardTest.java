package org.cimq.cim.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.LayerInputs;
import org.cimq.cim.LayerSelection;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.MappedLayers;
import org.cimq.cim.calib.InputCalibration;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Model;
import org.cimq.runtime.Executor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The SameDiff CIM forward equals cimq's runtime CIM model (same weights, input scales and ADC
 * steps): every layer mapped, several arrays per layer (R = 16), 2- and 3-bit cells and DAC
 * digits, L = 0, a few levels, and an L large enough to be lossless.
 */
class CimForwardTest {
    private static final CimConfig BASE = CimConfig.DEFAULTS.with("digital_layers", "").with("rows", "16");

    @Test
    void samediffForwardEqualsRuntimeCimModel() {
        for (String[] c : new String[][] {{"0", "1", "1"}, {"3", "1", "1"}, {"5", "1", "1"}, {"2", "2", "2"}, {"7", "3", "1"}}) {
            CimConfig cfg = BASE.with("adc_levels", c[0]).with("cell_bits", c[1]).with("dac_bits", c[2]);
            assertAgrees(cfg, 5e-5);
        }
    }

    @Test
    void sliceAndPadShortcutForwardEqualsRuntime() {
        for (String levels : new String[] {"0", "3"}) {
            assertAgrees(TrainTestModels.shortcut(4), BASE.with("adc_levels", levels), 5e-5);
        }
    }

    static void assertAgrees(CimConfig cfg, double relTol) {
        assertAgrees(TrainTestModels.cnn(3), cfg, relTol);
    }

    static void assertAgrees(Model prepared, CimConfig cfg, double relTol) {
        List<INDArray> calib = TrainTestModels.batches(5, 2, 16);
        CimModelBuilder.Result runtime = new CimModelBuilder(cfg).build(prepared, calib::iterator, 32,
                (Map<String, AdcSetting>) null, null);
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(prepared.graph()), cfg.digitalLayers());
        Map<String, LayerQuant> quant = LayerQuants.of(layers, runtime.inputs(), runtime.adc(), cfg);
        TrainingGraph g = TrainingGraph.build(prepared, cfg, layers, quant, Parameters.of(prepared), 3, false);
        INDArray x = TrainTestModels.batches(9, 1, 8).get(0);
        INDArray want = new Executor(runtime.model()).run(x)[0];
        INDArray got = g.logits(x);
        assertEquals(List.of(8L, 3L), List.of(got.shape()[0], got.shape()[1]));
        double max = want.amaxNumber().doubleValue();
        assertTrue(max > 0);
        double diff = want.sub(got).amaxNumber().doubleValue();
        assertTrue(diff <= relTol * max, cfg.adcLevels() + " levels: max |difference| " + diff + " vs max |y| " + max);
    }

    @Test
    void usesTheCalibratedInputs() {
        CimConfig cfg = BASE.with("adc_levels", "3");
        Model prepared = TrainTestModels.cnn(3);
        List<INDArray> calib = TrainTestModels.batches(5, 2, 16);
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(prepared.graph()), cfg.digitalLayers());
        Map<String, InputCalibration.LayerInput> in = LayerInputs.of(prepared, layers, cfg, calib.iterator(), 32, null);
        Map<String, LayerQuant> q = LayerQuants.of(layers, in, Map.of(), cfg);
        assertEquals(3, q.size());
        for (MappedLayer l : layers) {
            assertEquals(in.get(l.name()).scale(), q.get(l.name()).inputScale(), 0);
            assertEquals(0, q.get(l.name()).levels());
        }
        assertEquals(List.of(0, 16, 18), java.util.Arrays.stream(q.get(layers.get(0).name()).rowStarts()).boxed().toList());
    }
}
