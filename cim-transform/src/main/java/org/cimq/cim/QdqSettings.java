package org.cimq.cim;

import org.cimq.cim.calib.InputCalibration;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.WeightScheme;
import org.cimq.ir.Value;
import org.cimq.runtime.cim.InputMode;

/**
 * Takes a QDQ layer's integers and scales as the model gives them, checked against the
 * configuration rather than quantized again. The configuration must match the model: its
 * integer weights must fit {@code weight_bits} under {@code weight_scheme}, its activations
 * (8-bit) need {@code input_bits} 8, and only zero points of 0 can be mapped. int8 activations
 * are signed codes, applied as {@code signed_inputs} says.
 */
public final class QdqSettings {
    private QdqSettings() {
    }

    /** The layer's given integer weights with {@code cfg.weightBits()}; errors name the layer and what does not fit. */
    public static QuantizedWeights weights(MappedLayer layer, CimConfig cfg) {
        QdqWeight w = layer.givenWeight();
        if (!w.symmetric()) {
            throw new CimTransformException("layer '" + layer.name() + "': " + w.dequantize().describe()
                    + " has nonzero weight zero points " + nonzero(w.zeroPoints())
                    + "; only symmetric weights (zero point 0) map onto CIM's signed weight slices");
        }
        int min = 0;
        int max = 0;
        for (int q : w.q()) {
            min = Math.min(min, q);
            max = Math.max(max, q);
        }
        int bits = cfg.weightBits();
        if (min < lowest(cfg.weightScheme(), bits) || max > (1 << (bits - 1)) - 1) {
            int need = bits;
            while (min < lowest(cfg.weightScheme(), need) || max > (1 << (need - 1)) - 1) {
                need++;
            }
            throw new CimTransformException("layer '" + layer.name() + "': the model's " + w.type().name().toLowerCase()
                    + " weights (" + w.dequantize().describe() + ") span [" + min + ", " + max + "], which does not fit "
                    + "weight_bits " + bits + " with weight_scheme " + cfg.weightScheme().id() + " (["
                    + lowest(cfg.weightScheme(), bits) + ", " + ((1 << (bits - 1)) - 1) + "]); set weight_bits to " + need
                    + " (given weights are not quantized again)");
        }
        return new QuantizedWeights(w.q().clone(), w.scales().clone(), bits);
    }

    /** The layer's given input scale and code mode; errors name the layer and its QuantizeLinear node. */
    public static InputCalibration.LayerInput input(MappedLayer layer, CimConfig cfg) {
        QdqInput in = layer.givenInput();
        String where = "layer '" + layer.name() + "': its input comes from " + in.quantize().describe();
        if (in.zeroPoint() != 0) {
            throw new CimTransformException(where + " with zero point " + in.zeroPoint()
                    + "; only zero point 0 (unsigned uint8 or symmetric int8 activations) can be mapped");
        }
        if (cfg.inputBits() != in.bits()) {
            throw new CimTransformException(where + ": the model's activations are " + in.bits() + "-bit "
                    + in.type().name().toLowerCase() + " but input_bits is " + cfg.inputBits() + "; use --input-bits "
                    + in.bits() + " (input_bits: " + in.bits() + ")");
        }
        InputMode mode = !in.signed() ? InputMode.UNSIGNED : switch (cfg.signedInputs()) {
            case SPLIT -> InputMode.SPLIT;
            case TWOS_COMPLEMENT -> InputMode.TWOS_COMPLEMENT;
            case ERROR -> throw new CimTransformException(where + ": the model's activations are signed (int8); set "
                    + "signed_inputs to split or twos-complement, or keep the layer digital (digital_layers)");
        };
        return new InputCalibration.LayerInput(mode, in.scale(), null);
    }

    /**
     * What the layer's CimQuantizeInput reads: QuantizeLinear's input x when DequantizeLinear
     * feeds the layer directly and the code range of {@code mode} at {@code bits} is the model's
     * (the Q/DQ pair then goes dead), else the layer's input, whose values are the model's codes
     * times s (rounding recovers them exactly, and QuantizeLinear's saturation is kept).
     */
    public static Value source(MappedLayer layer, InputMode mode, int bits) {
        QdqInput in = layer.givenInput();
        if (in == null || in.source() == null || in.zeroPoint() != 0 || mode.min(bits) != in.min() || mode.max(bits) != in.max()) {
            return layer.input();
        }
        return in.source();
    }

    private static int lowest(WeightScheme scheme, int bits) {
        return scheme == WeightScheme.DIFFERENTIAL ? -((1 << (bits - 1)) - 1) : -(1 << (bits - 1));
    }

    private static String nonzero(long[] zeroPoints) {
        java.util.TreeSet<Long> s = new java.util.TreeSet<>();
        for (long z : zeroPoints) {
            if (z != 0) {
                s.add(z);
            }
        }
        return s.toString();
    }
}
