package org.cimq.cli.cim;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.TilePlan;
import org.cimq.cim.calib.InputCalibration;

/**
 * One mapped layer of a built CIM model: its input scale s_x and input mode, the ADC's levels L
 * (0 = no ADC) with one step {@code delta} or several {@code deltas} (per array, or per array,
 * slice and column), and its tile plan. Δ is in partial-sum units.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LayerReport(String name, String op, float inputScale, String inputMode, int levels, Double delta,
                          Object deltas, PlanSummary plan) {
    public static LayerReport of(MappedLayer l, InputCalibration.LayerInput in, AdcSetting adc, TilePlan plan) {
        Double delta = null;
        Object deltas = null;
        if (adc.enabled()) {
            if (adc.columnDeltas() != null) {
                deltas = adc.columnDeltas();
            } else if (adc.arrayDeltas() != null) {
                deltas = adc.arrayDeltas();
            } else {
                delta = adc.delta();
            }
        }
        return new LayerReport(l.name(), l.node().opType(), in.scale(), in.mode().id(), adc.levels(), delta, deltas,
                PlanSummary.of(plan));
    }
}
