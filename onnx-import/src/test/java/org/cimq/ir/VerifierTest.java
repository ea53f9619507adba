package org.cimq.ir;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VerifierTest {
    private static GraphBuilder reluModel() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", TensorType.of(DType.FLOAT, 2));
        b.output(b.op("Relu", x), "y", null);
        return b;
    }

    @Test
    void aValidGraphPasses() {
        Verifier.verify(reluModel().build());
    }

    @Test
    void nodesOutOfOrderAreNamed() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", TensorType.of(DType.FLOAT, 2));
        Value r = b.op("Relu", x);
        b.output(b.op("Neg", r), "y", null);
        Model m = b.model();
        java.util.Collections.reverse(m.graph().nodes());
        IrException e = assertThrows(IrException.class, () -> Verifier.verify(m));
        assertTrue(e.getMessage().contains("Neg node 'neg_1'") && e.getMessage().contains("not defined before"), e.getMessage());
    }

    @Test
    void duplicateNamesUnimportedDomainsAndUndefinedOutputsAreNamed() {
        Model dup = reluModel().build();
        dup.graph().nodes().get(0).output(0).setName("x");
        IrException e = assertThrows(IrException.class, () -> Verifier.verify(dup));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("reuses a name"), e.getMessage());

        GraphBuilder b = reluModel();
        b.node("com.example", "Custom", java.util.Map.of(), 1, b.model().graph().inputs().get(0));
        e = assertThrows(IrException.class, () -> Verifier.verify(b.model()));
        assertTrue(e.getMessage().contains("com.example") && e.getMessage().contains("does not import"), e.getMessage());

        Model ghost = reluModel().build();
        ghost.graph().outputs().add(new Value("ghost", null));
        e = assertThrows(IrException.class, () -> Verifier.verify(ghost));
        assertTrue(e.getMessage().contains("graph output 'ghost'"), e.getMessage());
    }
}
