package org.cimq.runtime;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cimq.ir.Dim;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.runtime.cim.CimOps;
import org.cimq.runtime.kernels.ConvReluKernel;

/**
 * Whether a graph computes every image of a batch on its own: each output's slice along axis 0
 * depends only on the same slice of the (single) input. Then the batch may be cut into parts run
 * one per thread ({@link BatchParallelExecutor}) with the results of running it whole.
 *
 * <p>The check is a forward pass over the nodes that marks values "per image" (axis 0 is the batch
 * and image i's slice depends only on input image i) or constant, with an explicit rule per op;
 * an op without a rule, or a rule that does not hold (Flatten at axis 0, a Concat, Softmax, Slice
 * or Pad that touches axis 0, a Transpose that moves it, a Reshape that may mix images, a constant
 * that a broadcast would line up with the batch axis, a training-mode BatchNormalization, Shape and every op that
 * reads the batch size),
 * makes the graph not separable, with a reason naming the node. It is deliberately conservative:
 * a graph it refuses runs as before, on one executor with its kernels' own threads.
 */
public final class BatchSeparability {
    /** Ops whose outputs are per image when input 0 is and every other input is a constant. */
    private static final Set<String> IMAGE_WISE = Set.of("Relu", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid",
            "HardSwish", "Clip", "Neg", "Sqrt", "Exp", "Cast", "Identity", "Dropout", "Conv", "BatchNormalization",
            "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool");

    /** Elementwise ops with numpy broadcasting. */
    private static final Set<String> BROADCAST = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Min", "Max", "Sum", "Equal",
            "Where");

    private final Model model;
    private final Set<Value> perImage = new HashSet<>();
    private final Map<Value, Integer> ranks = new HashMap<>();

    private BatchSeparability(Model model) {
        this.model = model;
    }

    /** Empty when the model's graph is separable, else why not (naming the node or value). */
    public static Optional<String> whyNot(Model model) {
        Graph g = model.graph();
        if (g.inputs().stream().filter(v -> !v.isConstant()).count() != 1) {
            return Optional.of("the graph has " + g.inputs().size() + " inputs, not one");
        }
        Value input = g.inputs().stream().filter(v -> !v.isConstant()).findFirst().orElseThrow();
        TensorType t = input.type();
        if (t == null || !t.hasRank() || t.rank() < 1) {
            return Optional.of("input " + input.name() + " has no known rank");
        }
        Dim batch = t.dims().get(0);
        if (batch.isKnown() && batch.param() == null) {
            return Optional.of("input " + input.name() + " has a fixed batch size " + batch.value());
        }
        return new BatchSeparability(model).run(input);
    }

    private Optional<String> run(Value input) {
        Graph g = model.graph();
        perImage.add(input);
        for (Node n : g.nodes()) {
            Optional<String> why = check(n);
            if (why.isPresent()) {
                return Optional.of(n.describe() + ": " + why.get());
            }
        }
        for (Value out : g.outputs()) {
            if (!perImage.contains(out)) {
                return Optional.of("output " + out.name() + " is not computed per image");
            }
        }
        return Optional.empty();
    }

    /** Marks n's outputs per image when they are, or says why n mixes images (or may). */
    private Optional<String> check(Node n) {
        List<Value> in = n.inputs();
        boolean anyPerImage = in.stream().anyMatch(perImage::contains);
        if (!anyPerImage) {
            boolean allConstant = in.stream().allMatch(v -> v == null || v.name().isEmpty() || v.isConstant());
            return allConstant ? Optional.empty() : Optional.of("reads a value that is neither per image nor constant");
        }
        String op = n.opType();
        String domain = n.domain();
        Optional<String> why;
        if (domain.equals(ConvReluKernel.DOMAIN) && op.equals(ConvReluKernel.OP)) {
            why = n.attrInt("addend", 0) == 1 ? broadcast(n, 1) : imageWise(n);
        } else if (domain.equals(CimOps.DOMAIN) && op.equals(CimOps.FUSED_LAYER)) {
            why = imageWise(n);
        } else if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
            why = Optional.of("no batch rule for domain " + domain);
        } else {
            why = standard(n);
        }
        if (why.isEmpty()) {
            derivedRanks(n);
            perImage.addAll(n.outputs());
        }
        return why;
    }

    private Optional<String> standard(Node n) {
        String op = n.opType();
        if (op.equals("MaxPool") && n.outputs().size() > 1 && !n.output(1).name().isEmpty()) {
            return Optional.of("its indices count elements of earlier images");
        }
        if (op.equals("BatchNormalization") && n.attrInt("training_mode", 0) != 0) {
            return Optional.of("training_mode=1 normalises with the statistics of the whole batch");
        }
        if (IMAGE_WISE.contains(op)) {
            return imageWise(n);
        }
        if (BROADCAST.contains(op)) {
            return broadcast(n, -1);
        }
        if (op.equals("Concat")) {
            return concat(n);
        }
        Optional<String> inputs = imageWise(n);
        if (inputs.isPresent()) {
            return inputs;
        }
        int rank = rank(n.input(0));
        return switch (op) {
            case "Flatten" -> notZero(n.attrInt("axis", 1), rank, "flattens from axis 0");
            case "Softmax", "LogSoftmax" -> notZero(n.attrInt("axis", model.opsetVersion("") < 13 ? 1 : -1), rank,
                    "normalises over axis 0");
            case "Transpose" -> {
                long[] perm = n.attrInts("perm", null);
                yield perm == null || perm.length == 0 || perm[0] != 0 ? Optional.of("moves axis 0") : Optional.empty();
            }
            case "Gemm" -> n.attrInt("transA", 0) != 0 ? Optional.of("transposes A, whose rows are the images")
                    : n.inputs().size() > 2 && batchAligned(n.input(2), 2) ? Optional.of("C has a row per image")
                    : Optional.empty();
            case "MatMul" -> rank < 2 || rank(n.input(1)) > 2 ? Optional.of("B is batched or A is a vector")
                    : Optional.empty();
            case "Pad" -> pad(n, rank);
            case "Slice" -> slice(n, rank);
            case "Reshape" -> reshape(n, rank);
            default -> Optional.of("no batch rule for " + op);
        };
    }

    /** Input 0 per image, every other input constant (or absent). */
    private Optional<String> imageWise(Node n) {
        if (!perImage.contains(n.input(0))) {
            return Optional.of("input 0 is not per image");
        }
        for (int i = 1; i < n.inputs().size(); i++) {
            Value v = n.input(i);
            if (v != null && !v.name().isEmpty() && !v.isConstant()) {
                return Optional.of("input " + i + " (" + v.name() + ") is not a constant");
            }
        }
        return Optional.empty();
    }

    /**
     * Numpy broadcasting: every per-image input has the output's rank (so its axis 0 is the output's), every
     * constant broadcasts over axis 0 (lower rank, or size 1 there). With {@code convFrom} ≥ 0, input convFrom is
     * instead a convolution's image input (per image) and the inputs after it its parameters (constants).
     */
    private Optional<String> broadcast(Node n, int convFrom) {
        int out = rank(n.output(0));
        if (out < 0 && convFrom >= 0) {
            out = rank(n.input(convFrom));
        } else if (out < 0) {
            out = 0;
            for (Value v : n.inputs()) {
                int k = v == null || v.name().isEmpty() ? 0 : rank(v);
                out = k < 0 || out < 0 ? -1 : Math.max(out, k);
            }
        }
        if (out < 1) {
            return Optional.of("output rank unknown");
        }
        for (int i = 0; i < n.inputs().size(); i++) {
            Value v = n.input(i);
            if (v == null || v.name().isEmpty()) {
                continue;
            }
            boolean convParameter = convFrom >= 0 && i > convFrom;
            boolean convImage = convFrom >= 0 && i == convFrom;
            if (convImage) {
                if (!perImage.contains(v)) {
                    return Optional.of("input " + i + " is not per image");
                }
            } else if (convParameter) {
                if (!v.isConstant()) {
                    return Optional.of("input " + i + " (" + v.name() + ") is not a constant");
                }
            } else if (perImage.contains(v)) {
                if (rank(v) != out) {
                    return Optional.of("input " + i + " (" + v.name() + ") would broadcast with its axis 0 off the batch");
                }
            } else if (!v.isConstant()) {
                return Optional.of("input " + i + " (" + v.name() + ") is neither per image nor constant");
            } else if (batchAligned(v, out)) {
                return Optional.of("constant " + v.name() + " has more than one entry along the batch axis");
            }
        }
        return Optional.empty();
    }

    /** A constant that, broadcast to rank {@code out}, has more than one entry along axis 0. */
    private boolean batchAligned(Value v, int out) {
        Tensor t = v.constant();
        if (t == null) {
            return true;
        }
        return t.rank() == out && t.shape()[0] != 1;
    }

    /** Every input per image, joined along another axis than 0. */
    private Optional<String> concat(Node n) {
        int rank = rank(n.output(0)) >= 0 ? rank(n.output(0)) : rank(n.input(0));
        if (rank < 1) {
            return Optional.of("output rank unknown");
        }
        Optional<String> along = notZero(n.attrInt("axis", 0), rank, "joins along axis 0");
        if (along.isPresent()) {
            return along;
        }
        for (int i = 0; i < n.inputs().size(); i++) {
            if (!perImage.contains(n.input(i))) {
                return Optional.of("input " + i + " (" + n.input(i).name() + ") is not per image");
            }
        }
        return Optional.empty();
    }

    private Optional<String> pad(Node n, int rank) {
        long[] pads = ints(n, "pads", 1);
        if (pads == null || rank < 1) {
            return Optional.of("pads or rank unknown");
        }
        long[] axes = n.inputs().size() > 3 ? ints(n, "", 3) : null;
        int count = pads.length / 2;
        for (int i = 0; i < count; i++) {
            int ax = axes == null ? i : axis(axes[i], rank);
            if (ax < 0) {
                return Optional.of("axis " + axes[i] + " of unknown rank");
            }
            if (ax == 0 && (pads[i] != 0 || pads[i + count] != 0)) {
                return Optional.of("pads axis 0");
            }
        }
        return Optional.empty();
    }

    private Optional<String> slice(Node n, int rank) {
        long[] starts = ints(n, "starts", 1);
        long[] ends = ints(n, "ends", 2);
        long[] axes = n.inputs().size() > 3 || n.hasAttr("axes") ? ints(n, "axes", 3) : null;
        long[] steps = n.inputs().size() > 4 ? ints(n, "", 4) : null;
        if (starts == null || ends == null || rank < 1) {
            return Optional.of("starts, ends or rank unknown");
        }
        for (int i = 0; i < starts.length; i++) {
            int ax = axes == null ? i : axis(axes[i], rank);
            if (ax < 0) {
                return Optional.of("axis " + axes[i] + " of unknown rank");
            }
            boolean whole = starts[i] == 0 && ends[i] >= Integer.MAX_VALUE && (steps == null || steps[i] == 1);
            if (ax == 0 && !whole) {
                return Optional.of("slices axis 0");
            }
        }
        return Optional.empty();
    }

    /**
     * A Reshape keeps images apart where the target keeps axis 0 (0 with allowzero unset), or where it is -1 ahead of
     * sizes whose product is one image's element count.
     */
    private Optional<String> reshape(Node n, int rank) {
        long[] shape = ints(n, "shape", 1);
        if (shape == null || shape.length == 0) {
            return Optional.of("target shape unknown");
        }
        if (shape[0] == 0 && n.attrInt("allowzero", 0) == 0) {
            return Optional.empty();
        }
        TensorType t = n.input(0).type();
        if (shape[0] != -1 || t == null || !t.hasRank() || rank < 1) {
            return Optional.of("may move the batch axis");
        }
        long image = 1;
        for (int i = 1; i < rank; i++) {
            Dim d = t.dims().get(i);
            if (!d.isKnown() || d.param() != null) {
                return Optional.of("image size unknown");
            }
            image *= d.value();
        }
        long rest = 1;
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] <= 0) {
                return Optional.of("may move the batch axis");
            }
            rest *= shape[i];
        }
        return rest == image ? Optional.empty() : Optional.of("rows of the target are not images");
    }

    /** The node's integer list: its constant input {@code index} when present, else attribute {@code attr}. */
    private static long[] ints(Node n, String attr, int index) {
        if (index < n.inputs().size()) {
            Value v = n.input(index);
            if (v != null && !v.name().isEmpty()) {
                return v.isConstant() ? v.constant().toLongArray() : null;
            }
        }
        return attr.isEmpty() ? null : n.attrInts(attr, null);
    }

    /**
     * Ranks the graph's type information leaves unknown (models built in memory, such as CIM models, carry none for
     * their intermediate values), derived per op for the ops this check accepts.
     */
    private void derivedRanks(Node n) {
        int r;
        switch (n.opType()) {
            case "Flatten", "Gemm" -> r = 2;
            case "Reshape" -> {
                long[] shape = ints(n, "shape", 1);
                r = shape == null ? -1 : shape.length;
            }
            case "Add", "Sub", "Mul", "Div", "Pow", "Min", "Max", "Sum", "Equal", "Where" -> {
                r = 0;
                for (Value v : n.inputs()) {
                    int k = rank(v);
                    r = k < 0 || r < 0 ? -1 : Math.max(r, k);
                }
            }
            default -> r = rank(n.input(0)); // image-wise ops, ConvRelu, CimFusedLayer, Pad, Slice, Concat, ...
        }
        if (r >= 0) {
            for (Value v : n.outputs()) {
                if (v.type() == null || !v.type().hasRank()) {
                    ranks.put(v, r);
                }
            }
        }
    }

    /** Axis a of a rank-{@code rank} tensor counted from 0; -1 where a counts from the end of an unknown rank. */
    private static int axis(long a, int rank) {
        if (a < 0) {
            return rank < 0 ? -1 : (int) (a + rank);
        }
        return (int) a;
    }

    /** Empty where attribute axis a is not axis 0, else {@code why}; refused where that cannot be known. */
    private static Optional<String> notZero(long a, int rank, String why) {
        int ax = axis(a, rank);
        return ax < 0 ? Optional.of("axis " + a + " of unknown rank") : ax == 0 ? Optional.of(why) : Optional.empty();
    }

    /** v's rank: from its type, its constant, or derived here; -1 where unknown. */
    private int rank(Value v) {
        if (v == null) {
            return -1;
        }
        TensorType t = v.type();
        if (t != null && t.hasRank()) {
            return t.rank();
        }
        if (v.isConstant()) {
            return v.constant().rank();
        }
        return ranks.getOrDefault(v, -1);
    }
}
