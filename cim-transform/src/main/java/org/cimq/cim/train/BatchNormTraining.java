package org.cimq.cim.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.LayerKind;
import org.cimq.cim.LayerSelection;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.MappedLayers;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Quantizer;
import org.cimq.ir.Attr;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training with batch statistics ({@code retrain --train-batch-norm}): a copy of the prepared model
 * (BN folded, CIM-SPEC) with a training-mode BatchNormalization (batch mean and population variance,
 * ONNX opset 15) after every mapped Conv, whose scale γ and shift β are trained with the weights.
 * The network then has its normalisation back while it trains, as the float network had; the CIM
 * forward of every mapped Conv is unchanged (its codes, arrays and ADC).
 * <p>
 * <b>Folding back is exact.</b> With k = γ / sqrt(σ² + ε) per output channel (μ, σ² the channel's
 * statistics), the folded layer has W' = k·W and b' = k·(b − μ) + β. CIM-SPEC quantizes weights per
 * output channel, so W' has the codes sign(k)·q(W) and s_w' = |k|·s_w: every partial sum of the
 * channel is multiplied by sign(k), and the odd-L zero-tread ADC is odd-symmetric
 * (Q(−v) = −Q(v), rounding half to even), so the folded CIM layer computes k·(CIM layer) + b'
 * exactly, up to float rounding. Even L and the mid-rise quantizer are not symmetric at their
 * thresholds, so there every γ is kept at {@link #MIN_SCALE} or above ({@link #keepsScalesPositive},
 * {@link #clampScales}): with k > 0 the codes do not change at all, and the fold is exact for any ADC.
 * <p>
 * <b>Statistics.</b> μ and σ² of the fold are the means over batches of the batch statistics the
 * training-mode model computes on the given images (the calibration images, in their batches): the
 * statistics the network trained with, measured on the final weights rather than a running average
 * of old ones. At the start γ and β are set to the square root of σ² + ε and to μ of the prepared
 * model's own CIM outputs, so the first step starts from (nearly) the prepared model's function, or of
 * its outputs without ADCs ({@link #initial}).
 * <p>
 * Every normalised Conv needs a constant bias (BN-folded Convs have one) and ONNX opset 13 or later
 * (the copy imports opset 15 for the training-mode BatchNormalization; 13 to 15 change none of the
 * ops cimq trains).
 */
public final class BatchNormTraining {
    /** Suffix of the Conv output that feeds a training-mode BatchNormalization (the BN output keeps the old name). */
    static final String CONV_SUFFIX = "_cimq_conv";
    static final String SCALE_SUFFIX = "_cimq_bn_scale";
    static final String SHIFT_SUFFIX = "_cimq_bn_shift";
    public static final double EPSILON = 1e-5;

    /** One normalised Conv: its layer name, weight and bias initializers, BN parameters and the Conv's (renamed) output. */
    record Layer(String layer, String weight, String bias, String scale, String shift, String convOutput, int channels) { }

    private final Model model;
    private final List<MappedLayer> layers;
    private final List<Layer> normalised;
    private final CimConfig cfg;

    private BatchNormTraining(Model model, List<MappedLayer> layers, List<Layer> normalised, CimConfig cfg) {
        this.model = model;
        this.layers = layers;
        this.normalised = normalised;
        this.cfg = cfg;
    }

    /** The smallest BN scale γ kept where the ADC is not odd-symmetric ({@link #keepsScalesPositive}). */
    public static final float MIN_SCALE = 1e-4f;

    /**
     * Whether the fold needs every γ positive: unless the ADC is odd-symmetric (L = 0, or the zero-tread quantizer with odd
     * L), a channel whose partial sums the fold negates would quantize differently (even L's range is lopsided, mid-rise
     * maps 0 to +Δ/2).
     */
    public static boolean keepsScalesPositive(CimConfig cfg, int levels) {
        return levels != 0 && (levels % 2 == 0 || cfg.quantizer() != Quantizer.ZERO_TREAD);
    }

    /** Raises every BN scale γ of {@code params} below {@link #MIN_SCALE} to it (after each optimizer step, where needed). */
    public void clampScales(Map<String, INDArray> params) {
        for (Layer l : normalised) {
            INDArray g = params.get(l.scale());
            if (g != null) {
                org.nd4j.linalg.ops.transforms.Transforms.max(g, MIN_SCALE, false);
            }
        }
    }

    /** The training model of {@code prepared}: a training-mode BatchNormalization after each of {@code cfg}'s mapped Convs. */
    public static BatchNormTraining of(Model prepared, CimConfig cfg) {
        Model copy = CimModelBuilder.copy(prepared);
        String opsetKey = copy.opsetImports().containsKey("") ? "" : "ai.onnx";
        long opset = copy.opsetVersion("");
        if (opset < 13) {
            throw new TrainingException("training with batch statistics needs ONNX opset 13 or later, the model imports " + opset);
        }
        if (opset < 15) {
            copy.opsetImports().put(opsetKey, 15L);
        }
        Graph g = copy.graph();
        List<MappedLayer> mapped = LayerSelection.mapped(MappedLayers.find(g), cfg.digitalLayers());
        List<Layer> normalised = new ArrayList<>();
        for (MappedLayer l : mapped) {
            if (l.kind() != LayerKind.CONV) {
                continue;
            }
            Node conv = l.node();
            if (conv.inputs().size() < 3 || conv.input(2) == null || !conv.input(2).isConstant()) {
                throw new TrainingException(conv.describe() + ": training with batch statistics needs a constant bias on every "
                        + "mapped Conv (BN-folded Convs have one)");
            }
            String name = l.name();
            if (conv.name().isEmpty()) {
                conv.setName(name); // the layer keeps its name when its output is renamed below
            }
            Value out = conv.output(0);
            Value y = new Value(out.name(), out.type());
            g.replaceAllUsesWith(out, y);
            String convOut = out.name() + CONV_SUFFIX;
            out.setName(convOut);
            int n = l.n();
            Value scale = initializer(g, name + SCALE_SUFFIX, n, 1f);
            Value shift = initializer(g, name + SHIFT_SUFFIX, n, 0f);
            Value mean = initializer(g, name + "_cimq_bn_mean", n, 0f);
            Value var = initializer(g, name + "_cimq_bn_var", n, 1f);
            Node bn = new Node(name + "_cimq_bn", "BatchNormalization", "");
            bn.addInput(out);
            bn.addInput(scale);
            bn.addInput(shift);
            bn.addInput(mean);
            bn.addInput(var);
            bn.addOutput(y);
            bn.setAttr("training_mode", new Attr.IntAttr(1));
            bn.setAttr("epsilon", new Attr.FloatAttr((float) EPSILON));
            g.nodes().add(g.nodes().indexOf(conv) + 1, bn);
            normalised.add(new Layer(name, conv.input(1).name(), conv.input(2).name(), scale.name(), shift.name(), convOut, n));
        }
        if (normalised.isEmpty()) {
            throw new TrainingException("training with batch statistics: the model has no mapped Conv to normalise");
        }
        return new BatchNormTraining(copy, mapped, normalised, cfg);
    }

    private static Value initializer(Graph g, String name, int n, float fill) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, fill);
        Value c = Value.constant(name, Tensor.ofFloats(new long[] {n}, v));
        g.addInitializer(c);
        return c;
    }

    /** The training model (never written out). */
    public Model model() {
        return model;
    }

    /** The training model's mapped layers (the prepared model's, by name). */
    public List<MappedLayer> layers() {
        return layers;
    }

    /** Whether {@code n} normalises with the batch's statistics. */
    static boolean isTrainingBatchNorm(Node n) {
        return n.opType().equals("BatchNormalization") && n.domain().isEmpty() && n.attrInt("training_mode", 0) != 0;
    }

    /**
     * The training parameters that start from the prepared model's: its weights and biases ({@code prepared}, by
     * initializer name) and each BN's γ = sqrt(σ² + ε), β = μ, the statistics of the prepared model's CIM outputs
     * (input scales and steps {@code quant}) over {@code images}: the training model starts from the prepared model's
     * function. With {@code withoutAdc} the statistics are those of the same layers without ADCs (L = 0, same input
     * scales), so each BN first maps its CIM output onto the ADC-free layer's mean and spread per channel: for a model
     * not trained with its ADC yet, whose ADC outputs are far off (e.g. a float model at L = 2).
     */
    public Parameters initial(Model prepared, Parameters preparedParams, Map<String, LayerQuant> quant,
                              Supplier<Iterator<INDArray>> images, boolean withoutAdc) {
        if (withoutAdc) {
            Map<String, LayerQuant> lossless = new LinkedHashMap<>();
            quant.forEach((k, q) -> lossless.put(k, new LayerQuant(q.inputScale(), 0, q.delta(), q.rowStarts())));
            quant = lossless;
        }
        List<MappedLayer> preparedLayers = LayerSelection.mapped(MappedLayers.find(prepared.graph()), cfg.digitalLayers());
        RuntimeCimForward forward = new RuntimeCimForward(prepared, cfg, preparedLayers);
        Map<String, String> outputs = new LinkedHashMap<>();
        for (MappedLayer l : preparedLayers) {
            outputs.put(l.name(), l.node().output(0).name());
        }
        Statistics s = new Statistics();
        for (Iterator<INDArray> it = images.get(); it.hasNext(); ) {
            RuntimeCimForward.Result r = forward.run(preparedParams, quant, it.next());
            for (Layer l : normalised) {
                s.add(l.layer(), r.layerOutputs().get(outputs.get(l.layer())));
            }
        }
        Map<String, INDArray> values = new LinkedHashMap<>();
        preparedParams.values().forEach((k, v) -> values.put(k, v.dup('c')));
        for (Layer l : normalised) {
            double[][] ms = s.get(l.layer());
            float[] gamma = new float[l.channels()];
            float[] beta = new float[l.channels()];
            for (int c = 0; c < gamma.length; c++) {
                gamma[c] = (float) Math.sqrt(ms[1][c] + EPSILON);
                beta[c] = (float) ms[0][c];
            }
            values.put(l.scale(), Nd4j.create(gamma, new long[] {gamma.length}, 'c'));
            values.put(l.shift(), Nd4j.create(beta, new long[] {beta.length}, 'c'));
        }
        return Parameters.of(values);
    }

    /**
     * The prepared model's parameters (by its initializer names) that compute what {@code params} compute in the
     * training model: each BN folded into its Conv with the statistics its training-mode forward (input scales and steps
     * {@code quant}) has on {@code images}.
     */
    public Parameters folded(Parameters params, Map<String, LayerQuant> quant, Supplier<Iterator<INDArray>> images) {
        RuntimeCimForward forward = new RuntimeCimForward(model, cfg, layers);
        Set<String> keep = new java.util.HashSet<>();
        normalised.forEach(l -> keep.add(l.convOutput()));
        Statistics s = new Statistics();
        for (Iterator<INDArray> it = images.get(); it.hasNext(); ) {
            RuntimeCimForward.Result r = forward.run(params, quant, it.next(), keep);
            for (Layer l : normalised) {
                s.add(l.layer(), r.values().get(l.convOutput()));
            }
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        params.values().forEach((k, v) -> out.put(k, v.dup('c')));
        for (Layer l : normalised) {
            double[][] ms = s.get(l.layer());
            float[] gamma = params.values().get(l.scale()).dup('c').data().asFloat();
            float[] beta = params.values().get(l.shift()).dup('c').data().asFloat();
            INDArray w = params.values().get(l.weight());
            float[] wv = w.dup('c').data().asFloat();
            float[] bv = params.values().get(l.bias()).dup('c').data().asFloat();
            int per = wv.length / l.channels();
            float[] nb = new float[l.channels()];
            LayerQuant q = quant.get(l.layer());
            boolean positive = q != null && keepsScalesPositive(cfg, q.levels());
            for (int c = 0; c < l.channels(); c++) {
                if (positive && gamma[c] <= 0) {
                    throw new TrainingException("layer '" + l.layer() + "': BN scale " + gamma[c] + " of channel " + c
                            + " is not positive, which the fold cannot carry through an ADC with L = " + q.levels() + " ("
                            + cfg.quantizer().id() + ")");
                }
                double k = gamma[c] / Math.sqrt(ms[1][c] + EPSILON);
                for (int i = c * per; i < (c + 1) * per; i++) {
                    wv[i] = (float) (wv[i] * k);
                }
                nb[c] = (float) ((bv[c] - ms[0][c]) * k + beta[c]);
            }
            out.put(l.weight(), Nd4j.create(wv, w.shape().clone(), 'c'));
            out.put(l.bias(), Nd4j.create(nb, new long[] {nb.length}, 'c'));
            out.remove(l.scale());
            out.remove(l.shift());
        }
        return Parameters.of(out);
    }

    /** Per-layer sums of batch means and population variances, averaged over the batches at the end. */
    private static final class Statistics {
        private final Map<String, double[][]> sums = new LinkedHashMap<>();
        private final Map<String, Integer> batches = new LinkedHashMap<>();

        void add(String layer, INDArray x) {
            if (x == null) {
                throw new TrainingException("layer '" + layer + "': its Conv output was not recorded by the forward pass");
            }
            double[][] mv = BatchStatistics.of(x);
            double[][] s = sums.computeIfAbsent(layer, k -> new double[2][mv[0].length]);
            for (int c = 0; c < mv[0].length; c++) {
                s[0][c] += mv[0][c];
                s[1][c] += mv[1][c];
            }
            batches.merge(layer, 1, Integer::sum);
        }

        double[][] get(String layer) {
            double[][] s = sums.get(layer);
            if (s == null) {
                throw new TrainingException("no images to measure the batch statistics of layer '" + layer + "' on");
            }
            int n = batches.get(layer);
            double[][] out = new double[2][s[0].length];
            for (int c = 0; c < s[0].length; c++) {
                out[0][c] = s[0][c] / n;
                out[1][c] = s[1][c] / n;
            }
            return out;
        }
    }
}
