package org.cimq.cli.cim;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CIM part of a JSON report: the configuration ({@code CimConfig.toMap}), how ADC steps were
 * found, the calibration images, one entry per mapped layer, and totals over the layers.
 * Entries are {@link LayerReport}s for a model built by this run and {@link CimNodes.Layer}s
 * for a model that was already transformed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CimReport(Map<String, Object> cim, String rangesMethod, Map<String, Object> calibration, List<?> layers,
                        Map<String, Long> totals) {
    /** The report of a model built by {@link CimBuild}. */
    public static CimReport of(CimBuild.Built b) {
        List<LayerReport> layers = new ArrayList<>();
        long arrays = 0;
        long conversions = 0;
        var r = b.result();
        for (var l : r.layers()) {
            LayerReport lr = LayerReport.of(l, r.inputs().get(l.name()), r.adc().get(l.name()), r.plans().get(l.name()));
            layers.add(lr);
            arrays += lr.plan().arrays();
            conversions += lr.plan().adcConversionsPerImage();
        }
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("arrays", arrays);
        totals.put("adcConversionsPerImage", conversions);
        return new CimReport(b.config().toMap(), b.rangesMethod(), b.calibration().toMap(), layers, totals);
    }
}
