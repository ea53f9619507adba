package org.cimq.cim.train;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.runtime.Executor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Empirical bias correction of the ADCs' systematic error (the empirical variant of Nagel et al., 2019, "Data-Free
 * Quantization Through Weight Equalization and Bias Correction"), applied before retraining. Mapped layers are
 * corrected one at a time in graph order: over the calibration images and every output position, the mean per output
 * channel of {@code y_L − y_0} — the layer's CIM output with its ADC minus the same layer at L = 0 (same input codes
 * and weight codes, no ADC; CIM-SPEC makes that the fake-quantized layer), both computed by the runtime with every
 * earlier layer's ADC and correction in place, so the two see the same input — is subtracted from the layer's bias
 * (divided by Gemm's beta). The ADC's error has a mean that training would otherwise first have to learn away: large
 * for a mid-rise quantizer at L = 2, whose +Δ/2 for every zero partial sum adds a constant per output channel, and
 * small but not zero for zero-tread L = 3. Only a layer with a constant bias input is corrected; a mapped layer
 * without one (a MatMul, a Conv or Gemm with no bias) is refused by name.
 */
public final class BiasCorrection {
    private BiasCorrection() {
    }

    /**
     * Corrects the biases in {@code params} in place.
     *
     * @param layers the mapped layers of {@code prepared}, graph order
     * @param quant  every mapped layer's input scale and ADC (layers at L = 0 are left alone)
     * @param images the calibration batches
     * @return the shift subtracted from every corrected layer's bias, by layer name (graph order)
     */
    public static Map<String, float[]> apply(Model prepared, CimConfig cfg, List<MappedLayer> layers, Parameters params,
                                             Map<String, LayerQuant> quant, Supplier<Iterator<INDArray>> images) {
        for (MappedLayer l : layers) {
            biasOf(l, params);
        }
        RuntimeCimForward forward = new RuntimeCimForward(prepared, cfg, layers);
        Map<String, float[]> shifts = new LinkedHashMap<>();
        for (MappedLayer l : layers) {
            LayerQuant q = quant.get(l.name());
            if (q == null) {
                throw new TrainingException(l.node().describe() + ": no input scale or ADC step for this mapped layer");
            }
            if (q.levels() == 0) {
                continue;
            }
            Map<String, LayerQuant> lossless = new LinkedHashMap<>(quant);
            lossless.put(l.name(), new LayerQuant(q.inputScale(), 0, q.delta(), q.rowStarts()));
            float[] shift = meanDifference(forward, params, quant, lossless, l, images);
            INDArray bias = biasOf(l, params);
            float beta = l.node().opType().equals("Gemm") ? l.node().attrFloat("beta", 1f) : 1f;
            float[] b = bias.dup('c').data().asFloat();
            for (int c = 0; c < b.length; c++) {
                b[c] -= shift[c] / beta;
            }
            bias.assign(FloatArrays.array(b, bias.shape()));
            shifts.put(l.name(), shift);
        }
        return shifts;
    }

    /** Mean over images and positions of the layer's output with {@code withAdc} minus with {@code lossless}, per channel. */
    private static float[] meanDifference(RuntimeCimForward forward, Parameters params, Map<String, LayerQuant> withAdc,
                                          Map<String, LayerQuant> lossless, MappedLayer l, Supplier<Iterator<INDArray>> images) {
        String out = l.node().output(0).name();
        Executor adc = new Executor(forward.model(params, withAdc));
        Executor exact = new Executor(forward.model(params, lossless));
        double[] sum = null;
        long count = 0;
        for (Iterator<INDArray> it = images.get(); it.hasNext(); ) {
            INDArray batch = it.next();
            float[] y = FloatArrays.of(adc.run(Map.of(forward.inputName(), batch), (v, a) -> { }).get(out));
            INDArray y0Arr = exact.run(Map.of(forward.inputName(), batch), (v, a) -> { }).get(out);
            float[] y0 = FloatArrays.of(y0Arr);
            int channels = (int) y0Arr.size(1);
            int area = (int) (y0Arr.length() / (y0Arr.size(0) * channels));
            if (sum == null) {
                sum = new double[channels];
            }
            for (int i = 0; i < y.length; i++) {
                sum[(i / area) % channels] += (double) y[i] - y0[i];
            }
            count += y0Arr.size(0) * (long) area;
        }
        if (sum == null) {
            throw new TrainingException("bias correction: no calibration images");
        }
        float[] mean = new float[sum.length];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = (float) (sum[c] / count);
        }
        return mean;
    }

    /** The layer's bias parameter (one value per output channel), or an error naming the node. */
    private static INDArray biasOf(MappedLayer l, Parameters params) {
        Node n = l.node();
        Value v = n.inputs().size() > 2 ? n.input(2) : null;
        if (n.opType().equals("MatMul") || v == null || !params.isParameter(v)) {
            throw new TrainingException(n.describe() + ": bias correction needs a constant bias input on every mapped layer");
        }
        INDArray b = params.values().get(v.name());
        if (b.length() != l.n()) {
            throw new TrainingException(n.describe() + ": bias correction needs one bias per output channel (" + l.n()
                    + "), the bias has shape " + java.util.Arrays.toString(b.shape()));
        }
        return b;
    }
}
