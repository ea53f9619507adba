package org.cimq.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.export.OrtLowering;
import org.cimq.data.Batch;
import org.cimq.data.BatchIterator;
import org.cimq.ir.DType;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.onnx.OnnxWriter;
import org.cimq.runtime.Executor;
import org.cimq.runtime.cim.CimLayerFusion;
import org.cimq.runtime.cim.CimOps;
import org.cimq.runtime.cim.InputMode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Runtime on the standard-ops export of a CIM model against cimq on the same CIM model
 * (fused kernels, bit-identical to the reference kernels), image by image, with every mapped
 * layer's input codes compared as well.
 * <p>Why codes: the layers outside the arrays (a digital first conv, residual adds, BN-folded
 * scales) are float32 sums that ONNX Runtime (MLAS) and ND4J (oneDNN) add in different orders,
 * so they may differ in the last bit. Where such a value x lies on a rounding midpoint of
 * x / s_x (x / s_x = k + ½ within that last bit), the two engines pick neighbouring input codes,
 * and at a few ADC levels one partial sum can then cross a threshold, so the logits of that
 * image differ by far more than rounding. This class therefore finds, for every image, the first
 * mapped layer (graph order) whose codes differ and requires every differing code there to be
 * such a midpoint case (values within 1e-5 relative of each other and of k + ½); any other
 * difference is a lowering error and is reported as {@link Result#unexplained}. Images whose
 * codes all agree must agree in their logits within a bound the caller checks.
 * <p>The export compared is {@link OrtLowering}'s, with the input codes and the quantizer inputs
 * of every mapped layer added as extra graph outputs (the computation is unchanged). cimq's fused
 * layers quantize their float input inside the kernel ({@link CimLayerFusion}), so cimq's codes
 * are those of the layer inputs it computed, {@code clamp(rint(x / s))} in float32, as the kernel
 * computes them; a kernel that quantized differently shows up as a logit difference on an image
 * counted as agreeing.
 */
public final class ExportAgreement {
    /** Relative tolerance for "the same value" and "on a rounding midpoint". */
    static final double MIDPOINT_TOLERANCE = 1e-5;

    /**
     * @param images       images compared
     * @param flipped      images with at least one differing input code (all at rounding midpoints)
     * @param maxDiffClean max |logit difference| over images whose codes all agree
     * @param maxDiffAll   max |logit difference| over all images
     * @param maxLogit     max |logit| (ORT) over all images
     * @param top1Disagree images whose top-1 class differs
     * @param unexplained  descriptions of code differences that are not midpoint cases (must be empty)
     */
    public record Result(int images, int flipped, double maxDiffClean, double maxDiffAll, double maxLogit, int top1Disagree,
                  List<String> unexplained) {
        public String summary() {
            return String.format("%d images, %d with a midpoint code flip; max |diff| %.3g (%.3g of max |logit| %.3g) on "
                    + "the others, %.3g over all; top-1 differs on %d", images, flipped, maxDiffClean, maxDiffClean / maxLogit,
                    maxLogit, maxDiffAll, top1Disagree);
        }
    }

    private final Model cim;
    private final Executor cimq;
    private final List<String> codes = new ArrayList<>();
    private final List<String> inputs = new ArrayList<>();
    private final List<Float> scales = new ArrayList<>();
    private final List<float[]> codeRanges = new ArrayList<>();
    private final Set<String> probed = new LinkedHashSet<>();

    /**
     * Exports {@code cim} (with the probes) to {@code file} and compares ORT on it with cimq on every batch of
     * {@code data}; {@code cim} itself is not changed.
     */
    public static Result compare(Model cim, Path file, BatchIterator data) throws Exception {
        return new ExportAgreement(cim, file).compare(file, data);
    }

    private ExportAgreement(Model cim, Path file) throws Exception {
        this.cim = cim;
        for (Node n : cim.graph().nodes()) {
            if (CimOps.QUANTIZE_INPUT.equals(n.opType())) {
                codes.add(n.output(0).name());
                inputs.add(n.input(0).name());
                scales.add(n.attrFloat("scale", Float.NaN));
                InputMode mode = InputMode.of(n);
                int bits = (int) n.attrInt("bits", -1);
                codeRanges.add(new float[] {mode.min(bits), mode.max(bits)});
            }
        }
        probed.addAll(codes);
        probed.addAll(inputs);
        Model probedExport = CimModelBuilder.copy(cim);
        for (Node n : probedExport.graph().nodes()) {
            for (Value v : n.outputs()) {
                if (probed.contains(v.name()) && !probedExport.graph().outputs().contains(v)) {
                    v.setType(new TensorType(DType.FLOAT, null));
                    probedExport.graph().outputs().add(v);
                }
            }
        }
        OrtLowering.apply(probedExport);
        OnnxWriter.write(probedExport, file);
        Model fused = CimModelBuilder.copy(cim);
        new CimLayerFusion().run(fused);
        this.cimq = new Executor(fused);
    }

    private Result compare(Path exportFile, BatchIterator data) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String inName = cim.graph().inputs().get(0).name();
        String outName = cim.graph().outputs().get(0).name();
        int images = 0;
        int flippedImages = 0;
        int top1Disagree = 0;
        double maxDiffClean = 0;
        double maxDiffAll = 0;
        double maxLogit = 0;
        List<String> unexplained = new ArrayList<>();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(2);
            opts.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(exportFile.toString(), opts)) {
                while (data.hasNext()) {
                    Batch b = data.next();
                    Map<String, float[]> mine = new HashMap<>();
                    Map<String, INDArray> out = cimq.run(Map.of(inName, b.toNdArray()), (v, a) -> {
                        if (inputs.contains(v.name())) {
                            mine.put(v.name(), a.dup('c').data().asFloat());
                        }
                    });
                    float[] myLogits = out.get(outName).dup('c').data().asFloat();
                    for (int l = 0; l < codes.size(); l++) {
                        mine.put(codes.get(l), quantize(mine.get(inputs.get(l)), scales.get(l), codeRanges.get(l)));
                    }
                    Map<String, float[]> theirs = new HashMap<>();
                    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(b.images()), b.shape());
                         OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), x))) {
                        for (Map.Entry<String, OnnxValue> e : r) {
                            FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
                            float[] f = new float[fb.remaining()];
                            fb.get(f);
                            theirs.put(e.getKey(), f);
                        }
                    }
                    float[] ortLogits = theirs.get(outName);
                    int classes = ortLogits.length / b.count();
                    for (int i = 0; i < b.count(); i++, images++) {
                        boolean flipped = firstFlip(mine, theirs, b.count(), i, images, unexplained);
                        double d = 0;
                        for (int c = i * classes; c < (i + 1) * classes; c++) {
                            d = Math.max(d, Math.abs(myLogits[c] - ortLogits[c]));
                            maxLogit = Math.max(maxLogit, Math.abs(ortLogits[c]));
                        }
                        maxDiffAll = Math.max(maxDiffAll, d);
                        if (flipped) {
                            flippedImages++;
                        } else {
                            maxDiffClean = Math.max(maxDiffClean, d);
                        }
                        int from = i * classes;
                        if (OrtRunner.argmax(myLogits, from, classes) != OrtRunner.argmax(ortLogits, from, classes)) {
                            top1Disagree++;
                        }
                    }
                }
            }
        }
        return new Result(images, flippedImages, maxDiffClean, maxDiffAll, maxLogit, top1Disagree, unexplained);
    }

    /** Whether image i's codes differ anywhere; checks that the first layer where they do differs only at midpoints. */
    private boolean firstFlip(Map<String, float[]> mine, Map<String, float[]> theirs, int batch, int i, int image,
                              List<String> unexplained) {
        for (int l = 0; l < codes.size(); l++) {
            float[] cm = mine.get(codes.get(l));
            float[] co = theirs.get(codes.get(l));
            float[] xm = mine.get(inputs.get(l));
            float[] xo = theirs.get(inputs.get(l));
            int per = cm.length / batch;
            boolean differs = false;
            for (int k = i * per; k < (i + 1) * per; k++) {
                if (cm[k] == co[k]) {
                    continue;
                }
                differs = true;
                double z = xm[k] / scales.get(l);
                boolean sameValue = Math.abs(xm[k] - xo[k]) <= MIDPOINT_TOLERANCE * Math.max(1, Math.abs(xm[k]));
                boolean midpoint = Math.abs(z - Math.floor(z) - 0.5) <= MIDPOINT_TOLERANCE * Math.max(1, Math.abs(z));
                if (!(sameValue && midpoint && Math.abs(cm[k] - co[k]) == 1) && unexplained.size() < 20) {
                    unexplained.add(String.format("image %d, layer input %s, element %d: cimq x=%.9g code %.0f, ORT x=%.9g code %.0f",
                            image, inputs.get(l), k - i * per, xm[k], cm[k], xo[k], co[k]));
                }
            }
            if (differs) {
                return true;
            }
        }
        return false;
    }

    /** The fused kernel's quantization, {@code min(max(rint(x / s), lo), hi)} in float32. */
    private static float[] quantize(float[] x, float s, float[] range) {
        float[] c = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            c[i] = Math.min(Math.max((float) Math.rint(x[i] / s), range[0]), range[1]);
        }
        return c;
    }
}
