package org.cimq.runtime.kernels;

import java.util.List;
import org.cimq.ir.Attr;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.ir.passes.Pass;

/**
 * Replaces Conv → Relu and Conv → Add → Relu (the Add's other input any value, which becomes
 * the fused node's first input so that the executor can overwrite it when it is dead) by one
 * {@code ConvRelu} node ({@link ConvReluKernel}), which computes the same numbers with the Add
 * and Relu done per range of images by the thread that just convolved them. Fused only when
 * the Conv's output (and the Add's) has that single use and is not a graph output, all in
 * ONNX's default domain. Apply it to models that are run, not written: the fused node is an
 * execution detail, and it hides the intermediate values from executor observers.
 */
public final class ConvReluFusion implements Pass {
    private int fused;

    /** Conv nodes fused by the last run. */
    public int fusedCount() {
        return fused;
    }

    @Override
    public boolean run(Model model) {
        fused = 0;
        Graph g = model.graph();
        for (Node conv : List.copyOf(g.nodes())) {
            if (!isOnnx(conv, "Conv") || conv.outputs().size() != 1) {
                continue;
            }
            Node next = soleUser(g, conv.output(0));
            if (isOnnx(next, "Relu")) {
                fuse(g, conv, null, next);
            } else if (isOnnx(next, "Add") && next.inputs().size() == 2) {
                Node relu = soleUser(g, next.output(0));
                Value other = next.input(0) == conv.output(0) ? next.input(1) : next.input(0);
                if (isOnnx(relu, "Relu") && other != null && other != conv.output(0)) {
                    fuse(g, conv, next, relu);
                }
            }
        }
        if (fused > 0) {
            model.opsetImports().putIfAbsent(ConvReluKernel.DOMAIN, (long) ConvReluKernel.VERSION);
            g.sortTopologically();
        }
        return fused > 0;
    }

    private void fuse(Graph g, Node conv, Node add, Node relu) {
        Node f = new Node(relu.name() + "/fused", ConvReluKernel.OP, ConvReluKernel.DOMAIN);
        if (add != null) {
            f.addInput(add.input(0) == conv.output(0) ? add.input(1) : add.input(0));
        }
        f.addInput(conv.input(0));
        f.addInput(conv.input(1));
        if (conv.input(2) != null) {
            f.addInput(conv.input(2));
        }
        conv.attributes().forEach(f::setAttr);
        if (add != null) {
            f.setAttr("addend", new Attr.IntAttr(1));
        }
        Value out = relu.output(0);
        Value fusedOut = new Value(out.name() + "/fused", out.type());
        f.addOutput(fusedOut);
        g.insertBefore(relu, f);
        g.replaceAllUsesWith(out, fusedOut);
        g.removeNode(relu);
        if (add != null) {
            g.removeNode(add);
        }
        g.removeNode(conv);
        fusedOut.setName(out.name());
        fused++;
    }

    /** The one node reading {@code v}, or null when v is a graph output or has more or fewer readers. */
    private static Node soleUser(Graph g, Value v) {
        return v == null || g.isGraphOutput(v) || v.uses().size() != 1 ? null : v.uses().get(0).node();
    }

    private static boolean isOnnx(Node n, String op) {
        return n != null && n.opType().equals(op) && (n.domain().isEmpty() || n.domain().equals("ai.onnx"));
    }
}
