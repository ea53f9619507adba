package org.cimq.cli.cim;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.cim.LayerSelection;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.MappedLayers;
import org.cimq.cim.TilePlan;
import org.cimq.cim.TilePlanner;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Model;
import org.cimq.runtime.cim.InputMode;

/**
 * Tile plans of a prepared float model under a configuration, without calibration: scales do
 * not change a plan, but the input mode sets the planes. Plans assume unsigned inputs, except for
 * layers reading a graph input (signed image data), which use {@code signed_inputs}: split or
 * two's complement, or unsigned when it is "error" (the transform would refuse such a layer).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CimPlans(Map<String, Object> cim, List<Row> layers, List<String> digital, Map<String, Long> totals,
                       String note) {
    /** A mapped layer: name, op, the input mode its plan assumes, whether it reads a graph input, and its plan. */
    public record Row(String layer, String op, String inputMode, boolean graphInput, PlanSummary plan) { }

    public static CimPlans of(Model prepared, CimConfig cfg) {
        List<MappedLayer> candidates = MappedLayers.find(prepared.graph());
        List<MappedLayer> mapped = LayerSelection.mapped(candidates, cfg.digitalLayers());
        List<String> digital = new ArrayList<>();
        candidates.stream().filter(c -> !mapped.contains(c)).forEach(c -> digital.add(c.name()));
        List<Row> rows = new ArrayList<>();
        long arrays = 0;
        long conversions = 0;
        for (MappedLayer l : mapped) {
            boolean graphInput = prepared.graph().inputs().contains(l.input());
            InputMode mode = mode(prepared, l, cfg);
            PlanSummary p = PlanSummary.of(TilePlanner.plan(l, cfg, mode));
            rows.add(new Row(l.name(), l.node().opType(), mode.id(), graphInput, p));
            arrays += p.arrays();
            conversions += p.adcConversionsPerImage();
        }
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("arrays", arrays);
        totals.put("adcConversionsPerImage", conversions);
        String note = "planes assume unsigned inputs, except for layers reading a graph input (marked *), which use "
                + "signed_inputs = " + cfg.signedInputs().id();
        return new CimPlans(cfg.toMap(), rows, digital, totals, note);
    }

    /** The tile plans of the mapped layers (graph order), with the input modes {@link #of} assumes. */
    public static List<TilePlan> tilePlans(Model prepared, CimConfig cfg) {
        List<MappedLayer> mapped = LayerSelection.mapped(MappedLayers.find(prepared.graph()), cfg.digitalLayers());
        return mapped.stream().map(l -> TilePlanner.plan(l, cfg, mode(prepared, l, cfg))).toList();
    }

    private static InputMode mode(Model prepared, MappedLayer l, CimConfig cfg) {
        return prepared.graph().inputs().contains(l.input()) ? signedMode(cfg) : InputMode.UNSIGNED;
    }

    private static InputMode signedMode(CimConfig cfg) {
        return switch (cfg.signedInputs()) {
            case SPLIT -> InputMode.SPLIT;
            case TWOS_COMPLEMENT -> InputMode.TWOS_COMPLEMENT;
            case ERROR -> InputMode.UNSIGNED;
        };
    }
}
