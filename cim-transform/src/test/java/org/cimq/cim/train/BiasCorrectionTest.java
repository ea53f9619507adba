package org.cimq.cim.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cimq.cim.LayerSelection;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.MappedLayers;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.runtime.ModelLoader;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link BiasCorrection} on the tiny CNN (two mapped Convs and a mapped Gemm, 8-row arrays) with a mid-rise 2-level
 * ADC, whose +Δ/2 for every zero partial sum gives the layers' outputs a large mean error: each shift is the mean of
 * y_L − y_0 that the runtime computes independently, layer after layer on the already corrected network, and after the
 * correction the first layer's mean output with its ADC equals its lossless mean output before.
 */
class BiasCorrectionTest {
    private static final CimConfig CFG = CimConfig.DEFAULTS.with("digital_layers", "").with("rows", "8")
            .with("quantizer", "mid-rise").with("adc_levels", "2");
    private final TrainTestSetup setup = new TrainTestSetup(CFG, 64);

    @Test
    void eachShiftIsTheLayersMeanAdcErrorOnTheNetworkCorrectedBeforeIt() {
        Parameters params = Parameters.of(setup.prepared);
        Map<String, LayerQuant> quant = setup.recalibration().run(params, 2, null);
        Parameters expectedParams = params.copy();
        Map<String, float[]> expected = new LinkedHashMap<>();
        for (MappedLayer l : setup.layers) {
            // measured with the runtime before this layer is corrected (every earlier layer already is)
            float[] mean = meanDifference(expectedParams, quant, l);
            INDArray bias = expectedParams.values().get(l.node().input(2).name());
            for (int c = 0; c < mean.length; c++) {
                bias.putScalar(c, bias.getFloat(c) - mean[c]);
            }
            expected.put(l.name(), mean);
        }

        Map<String, float[]> shifts = BiasCorrection.apply(setup.prepared, CFG, setup.layers, params, quant, setup.calib::iterator);

        assertEquals(List.copyOf(expected.keySet()), List.copyOf(shifts.keySet()), "all three layers, graph order");
        double largest = 0;
        for (MappedLayer l : setup.layers) {
            float[] want = expected.get(l.name());
            float[] got = shifts.get(l.name());
            for (int c = 0; c < want.length; c++) {
                assertEquals(want[c], got[c], 1e-5 * Math.max(1, Math.abs(want[c])), l.name() + " channel " + c);
                largest = Math.max(largest, Math.abs(got[c]));
            }
            String b = l.node().input(2).name();
            assertEquals(FloatArrays.of(expectedParams.values().get(b)).length, FloatArrays.of(params.values().get(b)).length);
            float[] wantBias = FloatArrays.of(expectedParams.values().get(b));
            float[] gotBias = FloatArrays.of(params.values().get(b));
            for (int c = 0; c < wantBias.length; c++) {
                assertEquals(wantBias[c], gotBias[c], 1e-5 * Math.max(1, Math.abs(wantBias[c])), b + "[" + c + "]");
            }
        }
        assertTrue(largest > 0.05, "mid-rise L = 2 must give a visible mean error to correct, largest shift " + largest);
    }

    @Test
    void afterCorrectionTheFirstLayersMeanOutputWithItsAdcIsItsLosslessMean() {
        Parameters params = Parameters.of(setup.prepared);
        Map<String, LayerQuant> quant = setup.recalibration().run(params, 2, null);
        MappedLayer first = setup.layers.get(0);
        float[] losslessBefore = meanOutput(params, lossless(quant, first), first);
        float[] adcBefore = meanOutput(params, quant, first);

        BiasCorrection.apply(setup.prepared, CFG, setup.layers, params, quant, setup.calib::iterator);

        float[] adcAfter = meanOutput(params, quant, first);
        double moved = 0;
        for (int c = 0; c < adcAfter.length; c++) {
            assertEquals(losslessBefore[c], adcAfter[c], 1e-4 * Math.max(1, Math.abs(losslessBefore[c])), "channel " + c);
            moved = Math.max(moved, Math.abs(adcBefore[c] - adcAfter[c]));
        }
        assertTrue(moved > 0.05, "the correction must move the mean output, moved " + moved);
    }

    @Test
    void layersWithoutAnAdcAreLeftAlone() {
        Parameters params = Parameters.of(setup.prepared);
        Map<String, LayerQuant> quant = setup.recalibration().run(params, 0, null);
        Parameters before = params.copy();
        assertTrue(BiasCorrection.apply(setup.prepared, CFG, setup.layers, params, quant, setup.calib::iterator).isEmpty());
        before.values().forEach((k, v) -> assertEquals(v, params.values().get(k), k));
    }

    @Test
    void refusesAMappedLayerWithoutBiasByName() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", new TensorType(DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(6))));
        b.output(b.op("MatMul", b.op("Relu", x), b.constant("w", TrainTestModels.random(new Random(1), 0.5, 6, 3))),
                "y", null);
        Model m = ModelLoader.prepare(b.build());
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(m.graph()), List.of());
        Parameters params = Parameters.of(m);
        Map<String, LayerQuant> quant = new Recalibration(m, CFG, List.of(TrainTestModels.gaussianRows(2, 8, 6))::iterator, 8)
                .run(params, 2, null);
        TrainingException e = assertThrows(TrainingException.class, () -> BiasCorrection.apply(m, CFG, layers, params, quant,
                List.of(TrainTestModels.gaussianRows(2, 8, 6))::iterator));
        assertTrue(e.getMessage().contains(layers.get(0).node().describe())
                && e.getMessage().contains("bias correction needs a constant bias input"), e.getMessage());
    }

    private static Map<String, LayerQuant> lossless(Map<String, LayerQuant> quant, MappedLayer l) {
        Map<String, LayerQuant> q = new LinkedHashMap<>(quant);
        LayerQuant was = q.get(l.name());
        q.put(l.name(), new LayerQuant(was.inputScale(), 0, was.delta(), was.rowStarts()));
        return q;
    }

    private float[] meanDifference(Parameters params, Map<String, LayerQuant> quant, MappedLayer l) {
        float[] withAdc = meanOutput(params, quant, l);
        float[] without = meanOutput(params, lossless(quant, l), l);
        for (int c = 0; c < withAdc.length; c++) {
            withAdc[c] -= without[c];
        }
        return withAdc;
    }

    /** The layer's output per channel, averaged over the calibration batch and positions (RuntimeCimForward.run). */
    private float[] meanOutput(Parameters params, Map<String, LayerQuant> quant, MappedLayer l) {
        RuntimeCimForward f = new RuntimeCimForward(setup.prepared, CFG, setup.layers);
        INDArray y = f.run(params, quant, setup.calib.get(0)).layerOutputs().get(l.node().output(0).name());
        INDArray mean = y.castTo(DataType.DOUBLE).mean(y.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0});
        return mean.castTo(DataType.FLOAT).toFloatVector();
    }
}
