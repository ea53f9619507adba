package org.cimq.cim;

import org.cimq.runtime.cim.InputMode;

/**
 * Everything the transform needs for one mapped layer besides its weights.
 *
 * @param inputScale s_x: float input = code × s_x
 * @param inputMode  how codes are applied (unsigned unless the layer's input is signed)
 * @param adc        the layer's ADC
 */
public record LayerSetting(float inputScale, InputMode inputMode, AdcSetting adc) {
}
