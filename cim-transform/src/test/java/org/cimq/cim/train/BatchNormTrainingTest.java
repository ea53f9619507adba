package org.cimq.cim.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.LayerSelection;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.MappedLayers;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training with batch statistics ({@link BatchNormTraining}): folding each trained BN back into its Conv
 * gives a prepared model that computes what the training model computed on the batch the statistics came
 * from (negative scales included where the ADC is odd-symmetric, positive ones kept elsewhere); the training model starts
 * from the prepared model's function; the BN gradients match finite differences.
 */
class BatchNormTrainingTest {
    private static final CimConfig ALL_MAPPED = CimConfig.DEFAULTS.with("digital_layers", "").with("rows", "16");

    @Test
    void theFoldedModelComputesTheTrainingModelOnItsStatisticsBatch() {
        for (CimConfig cfg : new CimConfig[] {ALL_MAPPED.with("adc_levels", "3"), ALL_MAPPED.with("adc_levels", "5"), ALL_MAPPED,
            CimConfig.DEFAULTS.with("rows", "16").with("adc_levels", "5")}) {
            for (Model prepared : cfg.digitalLayers().isEmpty() ? new Model[] {TrainTestModels.cnn(3), TrainTestModels.shortcut(4)}
                    : new Model[] {TrainTestModels.cnn(3)}) { // edges digital: the shortcut model's one Conv is its first layer
                Setup s = setup(prepared, cfg);
                INDArray x = TrainTestModels.batches(21, 1, 16).get(0);
                Parameters trained = s.bn.initial(prepared, Parameters.of(prepared), s.quant, () -> List.of(x).iterator(), false);
                Random r = new Random(8);
                int negative = 0;
                for (Map.Entry<String, INDArray> e : trained.values().entrySet()) {
                    if (e.getKey().endsWith(BatchNormTraining.SCALE_SUFFIX) || e.getKey().endsWith(BatchNormTraining.SHIFT_SUFFIX)) {
                        INDArray v = e.getValue();
                        for (int i = 0; i < v.length(); i++) {
                            float f = (float) (v.getDouble(i) * (0.5 + r.nextDouble()) + 0.1 * r.nextGaussian());
                            boolean flip = e.getKey().endsWith(BatchNormTraining.SCALE_SUFFIX) && i % 3 == 1;
                            negative += flip ? 1 : 0;
                            v.putScalar(i, flip ? -f : f);
                        }
                    }
                }
                assertTrue(negative > 0);
                INDArray training = new RuntimeCimForward(s.bn.model(), cfg, s.bn.layers()).run(trained, s.quant, x).logits();
                Parameters folded = s.bn.folded(trained, s.quant, () -> List.of(x).iterator());
                assertEquals(Parameters.of(prepared).values().keySet(), folded.values().keySet());
                INDArray plain = new RuntimeCimForward(prepared, cfg, s.layers).run(folded, s.quant, x).logits();
                double scale = training.amaxNumber().doubleValue();
                double diff = training.sub(plain).amaxNumber().doubleValue();
                assertTrue(diff <= 1e-4 * scale, cfg.toMap() + ": folded logits differ by " + diff + " (max |logit| " + scale + ")");
            }
        }
    }

    @Test
    void trainingStartsFromThePreparedModelsFunction() {
        CimConfig cfg = ALL_MAPPED.with("adc_levels", "5"); // at L = 3 the minmax step quantizes every partial sum of conv 2 to 0
        Model prepared = TrainTestModels.cnn(3);
        Setup s = setup(prepared, cfg);
        INDArray x = TrainTestModels.batches(22, 1, 32).get(0);
        Parameters start = s.bn.initial(prepared, Parameters.of(prepared), s.quant, () -> List.of(x).iterator(), false);
        INDArray before = new RuntimeCimForward(prepared, cfg, s.layers).run(Parameters.of(prepared), s.quant, x).logits();
        INDArray after = new RuntimeCimForward(s.bn.model(), cfg, s.bn.layers()).run(start, s.quant, x).logits();
        double diff = before.sub(after).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-3 * before.amaxNumber().doubleValue(), "the training model starts " + diff + " away");
        // started at the ADC-free statistics, the first BN's output has the mean and spread of the layer without ADC
        String first = s.layers.get(0).node().output(0).name();
        Map<String, LayerQuant> lossless = new LinkedHashMap<>();
        s.quant.forEach((k, q) -> lossless.put(k, new LayerQuant(q.inputScale(), 0, q.delta(), q.rowStarts())));
        double[][] want = BatchStatistics.of(new RuntimeCimForward(prepared, cfg, s.layers).run(Parameters.of(prepared), lossless, x)
                .layerOutputs().get(first));
        Parameters mapped = s.bn.initial(prepared, Parameters.of(prepared), s.quant, () -> List.of(x).iterator(), true);
        double[][] got = BatchStatistics.of(new RuntimeCimForward(s.bn.model(), cfg, s.bn.layers())
                .run(mapped, s.quant, x, java.util.Set.of(first)).values().get(first));
        for (int c = 0; c < want[0].length; c++) {
            assertEquals(want[0][c], got[0][c], 1e-4 * (1 + Math.abs(want[0][c])), "mean of channel " + c);
            assertEquals(want[1][c], got[1][c], 1e-3 * want[1][c] + 1e-5, "variance of channel " + c);
        }
        // the BN parameters are trained: the engine gives them gradients
        Map<String, INDArray> g = new RuntimeCimStep(new RuntimeCimForward(s.bn.model(), cfg, s.bn.layers()),
                new FakeQuantBackward(s.bn.model(), cfg, s.bn.layers(), start, Backward.FAKE_QUANT_SCALED), start, s.quant,
                s.bn.layers()).step(x, oneHot(32)).gradients();
        for (String k : start.values().keySet()) {
            double max = g.get(k).amaxNumber().doubleValue();
            if (k.equals("b1") || k.equals("b2")) { // a BN in training mode subtracts the batch mean: the Conv bias has no effect
                assertTrue(max < 1e-5, k + ": gradient " + max + " through a batch-normalised output");
            } else {
                assertTrue(max > 0, k + ": zero gradient");
            }
        }
    }

    @Test
    void batchNormGradientsMatchFiniteDifferences() {
        Random r = new Random(5);
        int n = 3;
        int c = 2;
        int hw = 4;
        double[] x = new double[n * c * hw];
        double[] gamma = {1.3, -0.7};
        double[] beta = {0.2, -0.4};
        double[] w = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian() * (1 + i % 3);
            w[i] = r.nextGaussian();
        }
        Node node = new Node("bn", "BatchNormalization", "");
        node.setAttr("training_mode", new org.cimq.ir.Attr.IntAttr(1));
        INDArray dy = Nd4j.create(toFloats(w), new long[] {n, c, 2, 2}, 'c');
        INDArray[] g = BatchStatistics.backward(node, Nd4j.create(toFloats(x), new long[] {n, c, 2, 2}, 'c'),
                Nd4j.create(toFloats(gamma), new long[] {c}, 'c'), dy);
        for (int i = 0; i < x.length; i++) {
            double fd = derivative(v -> loss(v, gamma, beta, w, n, c, hw), x, i);
            assertEquals(fd, g[0].getDouble(i), 1e-3 * (1 + Math.abs(fd)), "dx[" + i + "]");
        }
        for (int ch = 0; ch < c; ch++) {
            double fd = derivative(v -> loss(x, v, beta, w, n, c, hw), gamma, ch);
            assertEquals(fd, g[1].getDouble(ch), 1e-3 * (1 + Math.abs(fd)), "dgamma[" + ch + "]");
            fd = derivative(v -> loss(x, gamma, v, w, n, c, hw), beta, ch);
            assertEquals(fd, g[2].getDouble(ch), 1e-3 * (1 + Math.abs(fd)), "dbeta[" + ch + "]");
        }
    }

    /** The central difference of f at {@code at} along coordinate i (step 1e-5). */
    private static double derivative(ToDoubleFunction<double[]> f, double[] at, int i) {
        double h = 1e-5;
        double[] up = at.clone();
        double[] down = at.clone();
        up[i] += h;
        down[i] -= h;
        return (f.applyAsDouble(up) - f.applyAsDouble(down)) / (2 * h);
    }

    @Test
    void asymmetricAdcsKeepTheScalesPositiveAndFoldExactly() {
        assertTrue(!BatchNormTraining.keepsScalesPositive(ALL_MAPPED.with("adc_levels", "3"), 3)
                && !BatchNormTraining.keepsScalesPositive(ALL_MAPPED, 0));
        for (CimConfig cfg : new CimConfig[] {ALL_MAPPED.with("adc_levels", "4"), ALL_MAPPED.with("adc_levels", "2")
                .with("quantizer", "mid-rise")}) {
            int levels = cfg.adcLevels();
            assertTrue(BatchNormTraining.keepsScalesPositive(cfg, levels), cfg.toMap().toString());
            Model prepared = TrainTestModels.cnn(3);
            Setup s = setup(prepared, cfg);
            INDArray x = TrainTestModels.batches(23, 1, 16).get(0);
            Parameters trained = s.bn.initial(prepared, Parameters.of(prepared), s.quant, () -> List.of(x).iterator(), true);
            Random r = new Random(9);
            String scale = null;
            for (Map.Entry<String, INDArray> e : trained.values().entrySet()) {
                if (e.getKey().endsWith(BatchNormTraining.SCALE_SUFFIX)) {
                    scale = e.getKey();
                    INDArray v = e.getValue();
                    for (int i = 0; i < v.length(); i++) {
                        v.putScalar(i, v.getDouble(i) * (0.5 + r.nextDouble()) * (i % 3 == 1 ? -1 : 1));
                    }
                }
            }
            Parameters negative = trained.copy();
            TrainingException refused = assertThrows(TrainingException.class,
                    () -> s.bn.folded(negative, s.quant, () -> List.of(x).iterator()));
            assertTrue(refused.getMessage().contains("is not positive"), refused.getMessage());
            s.bn.clampScales(trained.values());
            assertEquals(BatchNormTraining.MIN_SCALE, trained.values().get(scale).minNumber().floatValue());
            INDArray training = new RuntimeCimForward(s.bn.model(), cfg, s.bn.layers()).run(trained, s.quant, x).logits();
            Parameters folded = s.bn.folded(trained, s.quant, () -> List.of(x).iterator());
            INDArray plain = new RuntimeCimForward(prepared, cfg, s.layers).run(folded, s.quant, x).logits();
            double diff = training.sub(plain).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-4 * training.amaxNumber().doubleValue(), cfg.toMap() + ": folded logits differ by " + diff);
        }
        TrainingException gemmOnly = assertThrows(TrainingException.class,
                () -> BatchNormTraining.of(TrainTestModels.gemm(1, 4, 3, true), ALL_MAPPED));
        assertTrue(gemmOnly.getMessage().contains("no mapped Conv"), gemmOnly.getMessage());
    }

    /** Σ w·BN(x) in double, BN in training mode (population variance, ε = 1e-5). */
    private static double loss(double[] x, double[] gamma, double[] beta, double[] w, int n, int c, int hw) {
        double total = 0;
        for (int ch = 0; ch < c; ch++) {
            double mean = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < hw; i++) {
                    mean += x[(b * c + ch) * hw + i];
                }
            }
            mean /= n * hw;
            double var = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < hw; i++) {
                    double d = x[(b * c + ch) * hw + i] - mean;
                    var += d * d;
                }
            }
            var /= n * hw;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < hw; i++) {
                    int k = (b * c + ch) * hw + i;
                    total += w[k] * (gamma[ch] * (x[k] - mean) / Math.sqrt(var + 1e-5) + beta[ch]);
                }
            }
        }
        return total;
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private record Setup(BatchNormTraining bn, List<MappedLayer> layers, Map<String, LayerQuant> quant) { }

    /** The training model of {@code prepared} and calibrated input scales with minmax steps. */
    private static Setup setup(Model prepared, CimConfig cfg) {
        List<INDArray> calib = TrainTestModels.batches(5, 2, 16);
        CimModelBuilder.Result ref = new CimModelBuilder(cfg).build(prepared, calib::iterator, 32, (Map<String, AdcSetting>) null, null);
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(prepared.graph()), cfg.digitalLayers());
        Map<String, LayerQuant> quant = new LinkedHashMap<>(LayerQuants.of(layers, ref.inputs(), ref.adc(), cfg));
        return new Setup(BatchNormTraining.of(prepared, cfg), layers, quant);
    }

    private static INDArray oneHot(int n) {
        INDArray y = Nd4j.zeros(n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % 3, 1f);
        }
        return y;
    }
}
