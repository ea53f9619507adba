package org.cimq.cli.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.cimq.cim.TilePlan;
import org.cimq.cim.calib.LayerHistograms;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Ranges;
import org.cimq.cim.cost.CostModel;
import org.cimq.cim.cost.HardwareCost;
import org.cimq.cli.cim.CimPlans;
import org.cimq.ir.Model;
import org.cimq.onnx.AtomicFiles;

/**
 * The report page of {@code cimq report} and {@code cimq sweep --report}, from counts already
 * collected: the tile plan of the prepared model under cfg, each mapped layer's pooled
 * partial-sum histogram with every method's step at cfg's L ({@link ReportHistograms}), the
 * hardware cost at L, then at 2, 3, 4, 5, 8, 9, 16, the cost model's baseline and every L of the
 * sweep; rendered by {@link ReportHtml} and written atomically.
 */
public final class ReportWriter {
    /**
     * Partial-sum counts behind the histograms.
     *
     * @param histograms  per mapped layer, from {@code RangeCalibration.histograms}
     * @param calibration the images counted, in words ({@link #calibration})
     * @param ranges      a ranges file already checked against the mapped layers and L, whose steps are drawn; or null (mse's)
     * @param rangesName  that file's name, or null
     */
    public record Counts(Map<String, LayerHistograms> histograms, String calibration, Ranges ranges, String rangesName) { }

    private ReportWriter() {
    }

    /** The calibration images in words, as the page shows them. */
    public static String calibration(String dataset, int images) {
        return dataset + " train, first " + images + " images";
    }

    /**
     * @param cfg         the configuration, with L ≥ 2 ({@link ReportLevels})
     * @param counts      the partial-sum counts, or null (no histograms)
     * @param sweep       the accuracy sweep, or null
     * @param sweepSource the sweep file's name, or null
     * @param notes       remarks for the summary
     */
    public static ReportData data(String modelName, Model prepared, CimConfig cfg, CostModel costModel, Counts counts,
                                  Sweep sweep, String sweepSource, List<String> notes) {
        int levels = cfg.adcLevels();
        CimPlans plans = CimPlans.of(prepared, cfg);
        List<LayerHistogram> histograms = counts == null ? null : ReportHistograms.of(counts.histograms(), levels,
                cfg.quantizer(), counts.ranges(), counts.rangesName());
        List<TilePlan> tilePlans = CimPlans.tilePlans(prepared, cfg);
        List<HardwareCost> costs = new ArrayList<>();
        costs.add(HardwareCost.of(tilePlans, costModel, levels));
        TreeSet<Integer> others = new TreeSet<>(List.of(2, 3, 4, 5, 8, 9, 16, costModel.baselineLevels()));
        if (sweep != null) {
            sweep.points().forEach(p -> others.add(p.levels()));
        }
        others.removeIf(l -> l < 2 || l == levels);
        others.forEach(l -> costs.add(HardwareCost.of(tilePlans, costModel, l)));
        String source = counts == null ? "none (no data)" : counts.ranges() != null ? "file:" + counts.rangesName()
                : "mse (searched on the calibration images)";
        return new ReportData(modelName, plans, levels, source, counts == null ? null : counts.calibration(), histograms,
                sweep, sweepSource, costs, notes);
    }

    /** Renders {@code d} and writes it to {@code out} atomically (a failure names the file); returns the page. */
    public static String write(ReportData d, Path out) {
        String html = ReportHtml.render(d);
        try {
            AtomicFiles.writeString(out, html);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the report: " + e.getMessage(), e);
        }
        return html;
    }
}
