package org.cimq.onnx;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.cimq.ir.IrException;
import org.cimq.ir.Model;
import org.cimq.ir.Verifier;
import org.cimq.ir.passes.BatchNormFolding;
import org.cimq.ir.passes.DeadNodeElimination;
import org.cimq.ir.passes.IdentityElimination;
import org.cimq.ir.passes.ReshapeShapeSimplification;
import org.cimq.ir.shapes.ShapeInference;

/**
 * Coverage-guided fuzzing of the importer, the verifier, shape inference and the passes that
 * need no kernels: whatever the bytes, the only failure allowed is an {@link IrException} with a
 * short message (OnnxFormatException included), and a model that passes is written in a form
 * that imports again. Any other exception, an Error or a hang is a
 * finding. In a plain {@code mvn test} only the inputs under
 * {@code src/test/resources/org/cimq/onnx/ImporterFuzzTestInputs/importVerifyInfer} run (valid
 * ONNX models, and every past finding); {@code docs/FUZZING.md} says how to fuzz for longer.
 */
class ImporterFuzzTest {
    private static final int LONGEST_MESSAGE = 2000;

    @FuzzTest(maxDuration = "10m")
    void importVerifyInfer(byte[] data) {
        Model m;
        try {
            m = OnnxImporter.load(data, "fuzz.onnx");
        } catch (IrException e) {
            checkMessage(e);
            return;
        }
        try {
            ShapeInference.run(m);
            new IdentityElimination().run(m);
            new ReshapeShapeSimplification().run(m);
            new BatchNormFolding().run(m);
            new DeadNodeElimination().run(m);
            ShapeInference.run(m);
            Verifier.verify(m);
        } catch (IrException e) {
            checkMessage(e);
            return;
        }
        byte[] written = OnnxWriter.toBytes(m);
        try {
            OnnxImporter.load(written, "written.onnx");
        } catch (IrException e) {
            throw new AssertionError("a model that imported and verified was written in a form that does not import", e);
        }
    }

    private static void checkMessage(IrException e) {
        String msg = e.getMessage();
        if (msg == null || msg.isBlank() || msg.length() > LONGEST_MESSAGE) {
            throw new AssertionError("unclear error message (" + (msg == null ? "null" : msg.length() + " characters") + ")", e);
        }
    }
}
