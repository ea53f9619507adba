package org.cimq.cim;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.cimq.cim.calib.InputCalibration;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every mapped layer's input scale and mode, in graph order: given by the model for layers
 * reading a QuantizeLinear/DequantizeLinear pair ({@link QdqSettings#input}, no statistics:
 * {@code stats()} is null), calibrated on the calibration images for the others
 * ({@link InputCalibration}); the images are not read when no layer needs calibration.
 */
public final class LayerInputs {
    private LayerInputs() {
    }

    public static Map<String, InputCalibration.LayerInput> of(Model prepared, List<MappedLayer> layers, CimConfig cfg,
                                                              Iterator<INDArray> batches, long images, IntConsumer progress) {
        List<MappedLayer> calibrated = layers.stream().filter(l -> l.givenInput() == null).toList();
        Map<String, InputCalibration.LayerInput> measured = calibrated.isEmpty() ? Map.of()
                : InputCalibration.run(prepared, calibrated, cfg, batches, images, progress);
        Map<String, InputCalibration.LayerInput> out = new LinkedHashMap<>();
        for (MappedLayer l : layers) {
            out.put(l.name(), l.givenInput() == null ? measured.get(l.name()) : QdqSettings.input(l, cfg));
        }
        return out;
    }
}
