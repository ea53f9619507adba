package org.cimq.cim.export;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.runtime.cim.CimOps;

/**
 * Rewrites every node of cimq's domain in a CIM model into standard ONNX nodes (default domain,
 * opset 13 or newer) that compute CIM-SPEC as cimq's kernels do: {@link QuantizeInputLowering},
 * {@link BitPlanesLowering}, {@link ArrayLowering}, {@link AdcLowering}, {@link ShiftAddLowering}.
 * Nodes are lowered last to first, so each lowering still sees the cimq nodes feeding it. Graph
 * inputs and outputs keep their names and types, and shapes are taken at run time, so a dynamic
 * batch stays dynamic. The model no longer imports {@link CimOps#DOMAIN}, and initializers nothing
 * reads (the float weights of mapped layers) are dropped.
 */
public final class OrtLowering {
    /** The lowest default-domain opset the lowered nodes are written for. */
    public static final long MIN_OPSET = 13;

    private OrtLowering() {
    }

    /** Lowers {@code model} in place and returns it. */
    public static Model apply(Model model) {
        long opset = model.opsetVersion(Model.ONNX_DOMAIN);
        if (opset < MIN_OPSET) {
            throw new ExportException("the model imports ONNX opset " + opset + "; export to ONNX Runtime needs opset "
                    + MIN_OPSET + " or newer");
        }
        List<Node> nodes = new ArrayList<>(model.graph().nodes());
        Collections.reverse(nodes);
        for (Node n : nodes) {
            if (CimOps.DOMAIN.equals(n.domain())) {
                Emitter e = new Emitter(model.graph(), n);
                e.replaceAnchor(lower(n, e));
            }
        }
        for (Node n : model.graph().allNodesRecursive()) {
            if (CimOps.DOMAIN.equals(n.domain())) {
                throw new ExportException(n.describe() + ": a subgraph node of domain " + CimOps.DOMAIN + " cannot be lowered");
            }
        }
        model.opsetImports().remove(CimOps.DOMAIN);
        dropUnusedInitializers(model);
        model.graph().sortTopologically();
        return model;
    }

    /** Initializers no node reads and no graph output names (the float weights the transform left behind). */
    private static void dropUnusedInitializers(Model model) {
        Set<String> read = new HashSet<>();
        for (Node n : model.graph().allNodesRecursive()) {
            n.inputs().stream().filter(Objects::nonNull).forEach(v -> read.add(v.name()));
        }
        model.graph().outputs().forEach(v -> read.add(v.name()));
        model.graph().initializers().keySet().removeIf(name -> !read.contains(name));
    }

    private static Value lower(Node n, Emitter e) {
        return switch (n.opType()) {
            case CimOps.QUANTIZE_INPUT -> QuantizeInputLowering.lower(n, e);
            case CimOps.BIT_PLANES -> BitPlanesLowering.lower(n, e);
            case CimOps.ARRAY -> ArrayLowering.lower(n, e);
            case CimOps.ADC -> AdcLowering.lower(n, e);
            case CimOps.SHIFT_ADD -> ShiftAddLowering.lower(n, e);
            default -> throw new ExportException(n.describe() + ": no lowering for " + CimOps.DOMAIN + " op " + n.opType());
        };
    }
}
