package org.cimq.cli.report;

import java.util.List;
import java.util.Map;
import org.cimq.cim.cost.HardwareCost;
import org.cimq.cli.cim.CimPlans;

/**
 * Everything the HTML report shows, as plain data.
 *
 * @param model        the model file's name
 * @param plans        the tile plan of every mapped layer, with the configuration
 * @param levels       the chosen ADC levels L
 * @param rangesSource where the drawn steps come from ("mse", or "file:NAME")
 * @param calibration  the calibration images in words, or null when no data was given
 * @param histograms   one per mapped layer, or null when no data was given
 * @param sweep        the accuracy sweep, or null when none was given
 * @param sweepSource  the sweep file's name, or null
 * @param costs        the hardware cost at the chosen L first, then at other L for comparison
 * @param notes        remarks for the summary (e.g. a defaulted L)
 */
public record ReportData(String model, CimPlans plans, int levels, String rangesSource, String calibration,
                         List<LayerHistogram> histograms, Sweep sweep, String sweepSource, List<HardwareCost> costs,
                         List<String> notes) {
    /** The configuration, as {@code CimConfig.toMap}. */
    public Map<String, Object> config() {
        return plans.cim();
    }
}
