package org.cimq.cim.export;

import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.runtime.cim.InputMode;

/** {@code CimQuantizeInput} as {@code Clip(Round(Div(x, scale)), min, max)}, float32 throughout. */
final class QuantizeInputLowering {
    private QuantizeInputLowering() {
    }

    static Value lower(Node node, Emitter e) {
        float scale = node.attrFloat("scale", Float.NaN);
        int bits = (int) node.attrInt("bits", -1);
        InputMode mode = InputMode.of(node);
        Value z = e.op("Round", e.op("Div", node.input(0), e.scalar(scale)));
        return e.clip(z, mode.min(bits), mode.max(bits));
    }
}
