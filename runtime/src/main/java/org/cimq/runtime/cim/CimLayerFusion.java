package org.cimq.runtime.cim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.ir.Attr;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;
import org.cimq.ir.passes.Pass;

/**
 * Replaces each layer's {@code CimArray} (→ {@code AdcQuantize}) → {@code CimShiftAdd} nodes by
 * one {@code CimFusedLayer} ({@link FusedLayerKernel}), which computes the same output bit for
 * bit with packed popcounts from the layer's input codes (the {@code CimBitPlanes} node goes too
 * when nothing else reads its planes). A layer is fused only when the pattern is complete: every input of
 * the shift-add is an array's partial sums (through its ADC when the layer has ADCs, all arrays
 * alike), the arrays read the same digit planes from a {@code CimBitPlanes} node, their slices
 * are constants (rank 5, a 2-D Conv, or rank 3, a matrix product), and no intermediate value is
 * used elsewhere or is a graph output. Other layers keep their nodes and run on the reference
 * kernels; {@link #run} reports how many layers it fused through {@link #fusedLayers()}.
 * Apply it only to models that are run, not to models that are written: the fused node is an
 * execution detail, not part of the transformed model's format. {@link #fusedAdcs()} tells where
 * each removed {@code AdcQuantize} node's step went (the fused node and the index of its entry in
 * {@code deltas}), for callers that change steps after fusion.
 * <p>The fused node also absorbs the layer's digital edges where nothing else reads the values in
 * between: the {@code CimQuantizeInput} in front of it (same bits and input mode; its scale becomes
 * {@code input_scale}, and the fused node reads the float activation) and the standard
 * {@code Mul} by a constant per-channel factor and the {@code Add} of a constant per-channel bias
 * behind it (the {@code OutputScaling} tail: shape [N, 1, 1] for a 2-D Conv, [N] for a matrix
 * product; they become {@code output_scale} and {@code output_bias}). The absorbed value names
 * disappear from the fused model; the layer's output keeps the name of the last absorbed node's output.
 */
public final class CimLayerFusion implements Pass {
    /** Where an ADC node's step lives after fusion: entry {@code array} of {@code layer}'s {@code deltas} (or {@code column_deltas}). */
    public record FusedAdc(Node layer, int array) { }

    private final List<String> fused = new ArrayList<>();
    private final List<String> kept = new ArrayList<>();
    private final Map<String, FusedAdc> fusedAdcs = new LinkedHashMap<>();

    /** Names of the layers fused by the last run. */
    public List<String> fusedLayers() {
        return List.copyOf(fused);
    }

    /** Names of the shift-add nodes left unfused by the last run. */
    public List<String> keptLayers() {
        return List.copyOf(kept);
    }

    /** The last run's removed AdcQuantize nodes, by output value name, each with the fused node and array holding its step. */
    public Map<String, FusedAdc> fusedAdcs() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fusedAdcs));
    }

    @Override
    public boolean run(Model model) {
        fused.clear();
        kept.clear();
        fusedAdcs.clear();
        Graph g = model.graph();
        for (Node shift : List.copyOf(g.nodes())) {
            if (shift.domain().equals(CimOps.DOMAIN) && shift.opType().equals(CimOps.SHIFT_ADD)) {
                if (!fuse(g, shift)) {
                    kept.add(shift.name());
                }
            }
        }
        if (!fused.isEmpty()) {
            g.sortTopologically();
        }
        return !fused.isEmpty();
    }

    private boolean fuse(Graph g, Node shift) {
        List<Node> arrays = new ArrayList<>();
        List<Node> adcs = new ArrayList<>();
        for (Value v : shift.inputs()) {
            Node p = v == null ? null : v.producer();
            if (p == null || !singleUse(g, v)) {
                return false;
            }
            if (p.domain().equals(CimOps.DOMAIN) && p.opType().equals(CimOps.ADC)) {
                adcs.add(p);
                Value ps = p.input(0);
                p = ps == null ? null : ps.producer();
                if (p == null || !singleUse(g, ps)) {
                    return false;
                }
            }
            if (!p.domain().equals(CimOps.DOMAIN) || !p.opType().equals(CimOps.ARRAY)) {
                return false;
            }
            arrays.add(p);
        }
        if (arrays.isEmpty() || (!adcs.isEmpty() && adcs.size() != arrays.size())) {
            return false;
        }
        Node first = arrays.get(0);
        Value planes = first.input(0);
        Node bitPlanes = planes == null ? null : planes.producer();
        if (bitPlanes == null || !bitPlanes.opType().equals(CimOps.BIT_PLANES) || !bitPlanes.domain().equals(CimOps.DOMAIN)) {
            return false;
        }
        String kind = first.attrString("kind", "");
        int rank = kind.equals("conv") ? 5 : kind.equals("matmul") ? 3 : -1;
        for (Node a : arrays) {
            Value w = a.input(1);
            if (a.input(0) != planes || w == null || !w.isConstant() || w.constant().shape().length != rank
                    || !a.attrString("kind", "").equals(kind) || !sameWindow(first, a)) {
                return false;
            }
        }
        long[] ws = first.input(1).constant().shape();
        Node f = new Node(shift.name() + "/fused", CimOps.FUSED_LAYER, CimOps.DOMAIN);
        f.addInput(bitPlanes.input(0));
        for (Node a : arrays) {
            f.addInput(a.input(1));
        }
        f.setAttr("kind", Attr.StringAttr.of(kind));
        for (String a : new String[] {"strides", "pads", "dilations", "group", "auto_pad"}) {
            if (first.hasAttr(a)) {
                f.setAttr(a, first.attr(a));
            }
        }
        if (!first.attrString("layer", "").isEmpty()) {
            f.setAttr("layer", first.attr("layer"));
        }
        f.setAttr("digit_bits", new Attr.IntAttr(bitPlanes.attrInt("dac_bits", 1)));
        f.setAttr("bits", new Attr.IntAttr(bitPlanes.attrInt("bits", -1)));
        f.setAttr("input_mode", bitPlanes.hasAttr("input_mode") ? bitPlanes.attr("input_mode") : Attr.StringAttr.of("unsigned"));
        f.setAttr("row_starts", ints(arrays, "row_start"));
        f.setAttr("row_ends", ints(arrays, "row_end"));
        if (kind.equals("conv")) {
            f.setAttr("channel_starts", ints(arrays, "channel_start"));
        }
        if (adcs.isEmpty()) {
            f.setAttr("levels", new Attr.IntAttr(0));
        } else if (!adcAttributes(f, adcs)) {
            return false;
        }
        for (String a : new String[] {"plane_weights", "slice_weights", "reference_column", "groups"}) {
            if (shift.hasAttr(a)) {
                f.setAttr(a, shift.attr(a));
            }
        }
        Value out = new Value(shift.output(0).name() + "/fused", shift.output(0).type());
        f.addOutput(out);
        g.insertBefore(shift, f);
        g.replaceAllUsesWith(shift.output(0), out);
        String name = out.name();
        g.removeNode(shift);
        out.setName(shift.output(0).name());
        for (int t = 0; t < adcs.size(); t++) {
            fusedAdcs.put(adcs.get(t).output(0).name(), new FusedAdc(f, t));
            g.removeNode(adcs.get(t));
        }
        for (Node a : arrays) {
            g.removeNode(a);
        }
        if (planes.uses().isEmpty() && !g.isGraphOutput(planes)) {
            g.removeNode(bitPlanes);
        }
        absorbQuantizer(g, f);
        long outChannels = kind.equals("conv") ? ws[1] : ws[2];
        if (f.attrInt("reference_column", 0) != 0) {
            outChannels -= kind.equals("conv") ? f.attrInt("group", 1) : 1;
        }
        absorbScaling(g, f, kind.equals("conv") ? 3 : 1, outChannels);
        fused.add(first.attrString("layer", name));
        return true;
    }

    /** Takes the {@code CimQuantizeInput} that only feeds {@code f} into it. */
    private static void absorbQuantizer(Graph g, Node f) {
        Value codes = f.input(0);
        Node q = codes.producer();
        if (q == null || !q.domain().equals(CimOps.DOMAIN) || !q.opType().equals(CimOps.QUANTIZE_INPUT) || !singleUse(g, codes)
                || q.attrInt("bits", -1) != f.attrInt("bits", -2) || InputMode.of(q) != InputMode.of(f)
                || !q.hasAttr("scale") || q.input(0) == null) {
            return;
        }
        f.setInput(0, q.input(0));
        f.setAttr("input_scale", new Attr.FloatAttr(q.attrFloat("scale", Float.NaN)));
        g.removeNode(q);
    }

    /** Takes the per-channel {@code Mul} (and then {@code Add}) that only read {@code f}'s output into it. */
    private static void absorbScaling(Graph g, Node f, int rank, long channels) {
        float[] scale = channelConstant(g, f.output(0), "Mul", rank, channels);
        if (scale == null) {
            return;
        }
        Node mul = f.output(0).uses().get(0).node();
        Value last = mul.output(0);
        float[] bias = channelConstant(g, last, "Add", rank, channels);
        Node add = null;
        if (bias != null) {
            add = last.uses().get(0).node();
            last = add.output(0);
        } else {
            bias = null;
        }
        Value out = f.output(0);
        String name = last.name();
        f.setAttr("output_scale", new Attr.FloatsAttr(floats(scale)));
        if (bias != null) {
            f.setAttr("output_bias", new Attr.FloatsAttr(floats(bias)));
        }
        out.setType(last.type());
        g.replaceAllUsesWith(last, out);
        if (add != null) {
            g.removeNode(add);
        }
        g.removeNode(mul);
        out.setName(name);
    }

    /**
     * The float32 values of the constant that the single user of {@code v}, an {@code op} of the default domain,
     * combines with it elementwise, when that constant is per channel (shape [N, 1, 1] for rank 3, [N] for rank 1, N =
 * {@code channels});
     * null otherwise.
     */
    private static float[] channelConstant(Graph g, Value v, String op, int rank, long channels) {
        if (!singleUse(g, v)) {
            return null;
        }
        Node n = v.uses().get(0).node();
        if (!n.domain().isEmpty() || !n.opType().equals(op) || n.inputs().size() != 2 || n.outputs().size() != 1) {
            return null;
        }
        Value c = n.input(0) == v ? n.input(1) : n.input(0);
        if (c == null || c == v || !c.isConstant() || c.constant().dtype() != org.cimq.ir.DType.FLOAT) {
            return null;
        }
        long[] shape = c.constant().shape();
        if (shape.length != rank || shape[0] != channels) {
            return null;
        }
        for (int i = 1; i < rank; i++) {
            if (shape[i] != 1) {
                return null;
            }
        }
        return c.constant().toFloatArray();
    }

    private static List<Float> floats(float[] v) {
        List<Float> out = new ArrayList<>(v.length);
        for (float x : v) {
            out.add(x);
        }
        return out;
    }

    /** Copies the ADC attributes (all arrays alike in levels and quantizer); false when they differ. */
    private static boolean adcAttributes(Node f, List<Node> adcs) {
        long levels = adcs.get(0).attrInt("levels", -1);
        String quantizer = adcs.get(0).attrString("quantizer", "zero-tread");
        boolean columns = adcs.get(0).attrTensor("deltas") != null;
        List<Float> deltas = new ArrayList<>();
        List<Tensor> tensors = new ArrayList<>();
        for (Node q : adcs) {
            if (q.attrInt("levels", -1) != levels || !q.attrString("quantizer", "zero-tread").equals(quantizer)
                    || (q.attrTensor("deltas") != null) != columns) {
                return false;
            }
            if (columns) {
                tensors.add(q.attrTensor("deltas"));
            } else {
                deltas.add(q.attrFloat("delta", Float.NaN));
            }
        }
        f.setAttr("levels", new Attr.IntAttr(levels));
        f.setAttr("quantizer", Attr.StringAttr.of(quantizer));
        f.setAttr(columns ? "column_deltas" : "deltas", columns ? new Attr.TensorsAttr(tensors) : new Attr.FloatsAttr(deltas));
        return true;
    }

    private static boolean singleUse(Graph g, Value v) {
        return v.uses().size() == 1 && !g.isGraphOutput(v);
    }

    private static boolean sameWindow(Node a, Node b) {
        for (String k : new String[] {"strides", "pads", "dilations", "group", "auto_pad"}) {
            if (!java.util.Objects.equals(a.attr(k), b.attr(k))) {
                return false;
            }
        }
        return true;
    }

    private static Attr ints(List<Node> nodes, String key) {
        List<Long> v = new ArrayList<>();
        for (Node n : nodes) {
            v.add(n.attrInt(key, -1));
        }
        return new Attr.IntsAttr(v);
    }
}
