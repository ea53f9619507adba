package org.cimq.cim.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.TilePlanner;
import org.cimq.cim.calib.InputCalibration;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.WeightScheme;
import org.cimq.runtime.cim.InputMode;

/**
 * Every mapped layer's {@link LayerQuant} from its calibrated input and ADC setting, and the
 * configurations this first version of retraining can compute (others are refused, naming the field).
 */
public final class LayerQuants {
    private LayerQuants() {
    }

    /**
     * Refuses what retraining does not implement. Both quantizers train on the runtime's engines ({@link Backward#FAKE_QUANT},
     * {@link Backward#FAKE_QUANT_SCALED}); the {@link Backward#ARRAYS} graph and learned steps are zero-tread only
     * ({@link Trainer} refuses those combinations).
     */
    public static void checkSupported(CimConfig cfg) {
        if (cfg.weightScheme() != WeightScheme.DIFFERENTIAL) {
            throw new TrainingException("weight_scheme " + cfg.weightScheme().id()
                    + " is not supported by retraining yet (only differential)");
        }
    }

    /**
     * @param adc the ADC per layer name; a layer missing from it, or with L = 0, has no ADC
     */
    public static Map<String, LayerQuant> of(List<MappedLayer> layers, Map<String, InputCalibration.LayerInput> inputs,
                                             Map<String, AdcSetting> adc, CimConfig cfg) {
        Map<String, LayerQuant> out = new LinkedHashMap<>();
        for (MappedLayer l : layers) {
            InputCalibration.LayerInput in = inputs.get(l.name());
            if (in.mode() != InputMode.UNSIGNED) {
                throw new TrainingException(l.node().describe() + ": its input is signed (mode " + in.mode().id()
                        + "); retraining supports unsigned inputs only");
            }
            AdcSetting a = adc.getOrDefault(l.name(), AdcSetting.NONE);
            int[] starts = TilePlanner.plan(l, cfg, in.mode()).rowStarts();
            out.put(l.name(), new LayerQuant(in.scale(), a.levels(), (float) a.delta(), starts, a.enabled() ? a.arrayDeltas() : null,
                    a.enabled() ? a.columnDeltas() : null));
        }
        return out;
    }
}
