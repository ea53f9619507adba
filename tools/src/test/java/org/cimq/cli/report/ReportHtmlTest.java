package org.cimq.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.cim.TilePlan;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Quantizer;
import org.cimq.cim.cost.CostModel;
import org.cimq.cim.cost.HardwareCost;
import org.cimq.cli.cim.CimPlans;
import org.cimq.cli.cim.PlanSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The report page from plain data: its sections, one chart per layer, well-formed and self-contained. */
class ReportHtmlTest {
    @TempDir
    Path dir;

    // two layers by hand: K = 300 on 128 rows (3 row tiles), 10 channels × 3 slices, 4 planes, 7×7 positions;
    // and a Gemm K = 64, N = 10, one position
    private static final TilePlan CONV = new TilePlan("conv", 300, 10, 1, 3, 0, 4, 3, 1, new int[] {0, 128, 256, 300}, 49,
            128, 128);
    private static final TilePlan GEMM = new TilePlan("gemm", 64, 10, 1, 3, 0, 4, 1, 1, new int[] {0, 64}, 1, 128, 128);

    @Test
    void everySectionWithOneFigurePerLayer() throws Exception {
        Path sweepFile = Files.writeString(dir.resolve("sweep.json"), SweepFileTest.GOOD);
        ReportData d = data(List.of(histogram("conv", 3.0), histogram("gemm", 1.5)), SweepFile.read(sweepFile));
        String html = ReportHtml.render(d);
        Document doc = ReportChecks.check(html);

        assertEquals(2, ReportChecks.figuresWithOneSvg(doc, "histogram"));
        assertEquals(1, ReportChecks.figuresWithOneSvg(doc, "accuracy"));
        assertEquals(3, ReportChecks.svgs(html).size());

        String summary = ReportChecks.section(doc, "summary");
        assertTrue(summary.contains("74.5%"), summary);           // energy saving at L = 3: 0.86·13/15
        assertTrue(summary.contains("49.4%"), summary);           // area saving: 0.57·13/15
        assertTrue(summary.contains("L = 3: 88.00% (mse)"), summary);
        assertTrue(summary.contains("L = 5: 90.50% (mse)"), summary);

        String plan = ReportChecks.section(doc, "plan");
        assertTrue(plan.contains("300×10") && plan.contains("17,640"), plan);   // 3 row tiles × 30 columns × 4 × 49

        String hist = ReportChecks.section(doc, "histograms");
        for (String m : List.of("minmax", "sigma3", "mse (drawn)", "mse-network")) {
            assertTrue(hist.contains(m), m);
        }
        assertTrue(hist.contains("conv: 19 partial sums"), hist);

        String cost = ReportChecks.section(doc, "cost");
        assertTrue(cost.contains("17,640") && cost.contains("17,760"), cost);   // conv, and conv + gemm (120)
        assertTrue(cost.contains("2368"), cost);                                // ADC energy 17,760 × 2/15
        assertTrue(ReportChecks.section(doc, "accuracy").contains("88.00%"));
    }

    @Test
    void withoutDataOrSweepTheSectionsSaySo() throws Exception {
        String html = ReportHtml.render(data(null, null));
        Document doc = ReportChecks.check(html);
        assertTrue(ReportChecks.section(doc, "accuracy").contains("No sweep was given"));
        assertTrue(ReportChecks.section(doc, "histograms").contains("No calibration data"));
        assertEquals(0, ReportChecks.svgs(html).size());
        assertTrue(ReportChecks.section(doc, "cost").contains("17,760"));
    }

    @Test
    void textIsEscaped() throws Exception {
        LayerHistogram odd = histogram("a<b>&\"c'", 2.0);
        String html = ReportHtml.render(data(List.of(odd), null));
        ReportChecks.check(html);
        assertTrue(html.contains("a&lt;b&gt;&amp;"), "layer name escaped");
    }

    private static LayerHistogram histogram(String layer, double delta) {
        long[] counts = {0, 1, 3, 10, 3, 1, 1};   // partial sums −3 .. 3
        Map<String, Double> deltas = new LinkedHashMap<>();
        deltas.put("minmax", 3.0);
        deltas.put("sigma3", 2.5);
        deltas.put("mse", delta);
        deltas.put("mse-network", 1.75);
        return new LayerHistogram(layer, counts, 3, Quantizer.ZERO_TREAD, delta, "mse", deltas, null);
    }

    private static ReportData data(List<LayerHistogram> hists, Sweep sweep) {
        CimConfig cfg = CimConfig.DEFAULTS.with("adc_levels", "3");
        List<CimPlans.Row> rows = List.of(
                new CimPlans.Row("conv", "Conv", "unsigned", false, PlanSummary.of(CONV)),
                new CimPlans.Row("gemm", "Gemm", "unsigned", false, PlanSummary.of(GEMM)));
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("arrays", 4L);
        totals.put("adcConversionsPerImage", CONV.adcConversionsPerImage() + GEMM.adcConversionsPerImage());
        CimPlans plans = new CimPlans(cfg.toMap(), rows, List.of("first"), totals, "note");
        List<HardwareCost> costs = List.of(HardwareCost.of(List.of(CONV, GEMM), CostModel.PAPER, 3),
                HardwareCost.of(List.of(CONV, GEMM), CostModel.PAPER, 16));
        return new ReportData("model.onnx", plans, 3, "mse", hists == null ? null : "test images", hists, sweep,
                sweep == null ? null : "sweep.json", costs, List.of());
    }
}
