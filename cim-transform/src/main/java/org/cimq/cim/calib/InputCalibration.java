package org.cimq.cim.calib;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.cimq.cim.CimTransformException;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Model;
import org.cimq.runtime.cim.InputMode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Chooses each mapped layer's input encoding and scale s_x from its activation statistics
 * (CIM-SPEC "Inputs"): unsigned when the input never went negative on the calibration images,
 * else the configured signed mode ({@code signed_inputs}; "error" refuses, naming the layer).
 */
public final class InputCalibration {
    /** One layer's input: how codes are applied and the scale, with the statistics behind them. */
    public record LayerInput(InputMode mode, float scale, ActivationStats stats) { }

    private InputCalibration() {
    }

    public static Map<String, LayerInput> run(Model prepared, List<MappedLayer> layers, CimConfig cfg,
                                              Iterator<INDArray> batches, long images, IntConsumer progress) {
        ActivationCalibrator cal = new ActivationCalibrator(prepared, layers.stream().map(MappedLayer::node).toList(),
                cfg.activationPercentile());
        Map<String, ActivationStats> stats = cal.run(batches, images, progress);
        Map<String, LayerInput> out = new LinkedHashMap<>();
        for (MappedLayer layer : layers) {
            ActivationStats s = stats.values().stream().filter(a -> a.layers().contains(layer.node().name())).findFirst()
                    .orElseThrow(() -> new CimTransformException("no activation statistics for layer '" + layer.name() + "'"));
            InputMode mode = mode(layer, s, cfg);
            InputScale.Encoding enc = switch (mode) {
                case UNSIGNED -> InputScale.Encoding.UNSIGNED;
                case SPLIT -> InputScale.Encoding.SPLIT;
                case TWOS_COMPLEMENT -> InputScale.Encoding.TWOS_COMPLEMENT;
            };
            out.put(layer.name(), new LayerInput(mode, (float) InputScale.scale(s, cfg.inputBits(), enc), s));
        }
        return out;
    }

    private static InputMode mode(MappedLayer layer, ActivationStats s, CimConfig cfg) {
        if (!s.signed()) {
            return InputMode.UNSIGNED;
        }
        return switch (cfg.signedInputs()) {
            case SPLIT -> InputMode.SPLIT;
            case TWOS_COMPLEMENT -> InputMode.TWOS_COMPLEMENT;
            case ERROR -> throw new CimTransformException("layer '" + layer.name() + "': its input is signed (min " + s.min()
                    + " over the calibration images); set signed_inputs to split or twos-complement, or keep the layer digital"
                    + " (digital_layers)");
        };
    }
}
