package org.cimq.runtime;

import java.nio.file.Path;
import java.util.List;
import org.cimq.ir.Model;
import org.cimq.ir.Verifier;
import org.cimq.ir.passes.BatchNormFolding;
import org.cimq.ir.passes.ConstantFolding;
import org.cimq.ir.passes.DeadNodeElimination;
import org.cimq.ir.passes.IdentityElimination;
import org.cimq.ir.passes.Pass;
import org.cimq.ir.passes.ReshapeShapeSimplification;
import org.cimq.ir.shapes.ShapeInference;
import org.cimq.onnx.OnnxImporter;

/**
 * Imports a model and applies the clean-up PyTorch exports need, in this order: Identity
 * removal, shape inference, constant folding (with the runtime's kernels), Reshape shape
 * folding, folding again, BatchNormalization folded into the Conv before it, dead-node
 * removal, shape inference on the result; then verifies the IR. What {@link #load} returns is ready for the
 * {@link Executor} and for the CIM passes.
 */
public final class ModelLoader {
    private ModelLoader() {
    }

    public static Model load(Path file) {
        return prepare(OnnxImporter.load(file));
    }

    /** Cleans up {@code m} in place and returns it. */
    public static Model prepare(Model m) {
        KernelRegistry registry = StandardKernels.registry();
        ConstantFolding folding = new ConstantFolding(new KernelConstantEvaluator(registry));
        Pass shapes = model -> {
            ShapeInference.run(model);
            return false;
        };
        List<Pass> passes = List.of(new IdentityElimination(), shapes, folding, new ReshapeShapeSimplification(), folding,
                new BatchNormFolding(), new DeadNodeElimination(), shapes);
        for (Pass p : passes) {
            p.run(m);
        }
        Verifier.verify(m);
        return m;
    }
}
