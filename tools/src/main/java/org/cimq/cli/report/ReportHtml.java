package org.cimq.cli.report;

import static org.cimq.cli.report.Html.esc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cimq.cim.cost.HardwareCost;
import org.cimq.cim.cost.LayerCost;
import org.cimq.cli.cim.CimPlans;
import org.cimq.cli.cim.CostTables;
import org.cimq.cli.cim.PlanSummary;

/**
 * Renders {@link ReportData} as one self-contained HTML page: inline CSS, charts as inline SVG
 * ({@link Charts}), no scripts and no link to anything outside the file. The page is also
 * well-formed XML (XHTML syntax), so an XML parser reads it whole. Sections: summary, tile plan,
 * partial-sum histograms, accuracy against ADC levels, hardware cost.
 */
public final class ReportHtml {
    private static final String CSS = """
            body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
            h1 { font-size: 1.5em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
            table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
            th { background: #f2f2f2; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
            figure { margin: 1.2em 0; } figcaption { font-size: 0.85em; color: #555; }
            .note { color: #555; font-size: 0.9em; } tr.chosen td { font-weight: bold; }
            table.summary td { text-align: left; }
            """;

    private ReportHtml() {
    }

    public static String render(ReportData d) {
        StringBuilder out = new StringBuilder(1 << 16);
        out.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<title>cimq report: ").append(esc(d.model())).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n<h1>cimq report: ").append(esc(d.model())).append("</h1>\n");
        summary(d, out);
        plan(d, out);
        histograms(d, out);
        accuracy(d, out);
        cost(d, out);
        return out.append("</body>\n</html>\n").toString();
    }

    private static void summary(ReportData d, StringBuilder out) {
        HardwareCost c = d.costs().get(0);
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("model", d.model()));
        rows.add(List.of("configuration", config(d.config())));
        rows.add(List.of("ADC levels L", d.levels() + " (" + c.comparatorsPerAdc() + " comparators per flash ADC)"));
        rows.add(List.of("ADC steps drawn", d.rangesSource()));
        rows.add(List.of("calibration", d.calibration() != null ? d.calibration() : "none (no --dataset given)"));
        rows.add(List.of("mapped layers", d.plans().layers().size() + ", " + c.arrays() + " arrays, "
                + String.format(Locale.ROOT, "%,d", c.conversions()) + " ADC conversions per image"));
        rows.add(List.of("energy saving at L = " + d.levels(), CostTables.pct(c.energySaving()) + " (relative energy "
                + fmt(c.relativeEnergy()) + " of " + c.model().baselineLevels() + "-level ADCs)"));
        rows.add(List.of("area saving at L = " + d.levels(), CostTables.pct(c.areaSaving()) + " (relative area "
                + fmt(c.relativeArea()) + ")"));
        if (d.sweep() != null) {
            StringBuilder best = new StringBuilder();
            d.sweep().bestPerLevel().forEach((l, p) -> best.append(best.length() > 0 ? "; " : "").append("L = ").append(l)
                    .append(": ").append(pct(p.top1())).append(" (").append(p.method()).append(')'));
            rows.add(List.of("best top-1 per L", best.toString()));
        } else {
            rows.add(List.of("best top-1 per L", "no sweep given"));
        }
        out.append("<section id=\"summary\">\n<h2>Summary</h2>\n");
        Html.table(out, "summary", List.of("", ""), rows);
        for (String n : d.notes()) {
            out.append("<p class=\"note\">").append(esc(n)).append("</p>\n");
        }
        out.append("</section>\n");
    }

    private static void plan(ReportData d, StringBuilder out) {
        CimPlans p = d.plans();
        out.append("<section id=\"plan\">\n<h2>Model and tile plan</h2>\n<p>")
                .append(esc(p.layers().size() + " mapped layers on " + p.cim().get("rows") + "×" + p.cim().get("cols")
                        + " arrays; kept digital: " + (p.digital().isEmpty() ? "none" : String.join(", ", p.digital()))))
                .append("</p>\n");
        List<List<Object>> rows = new ArrayList<>();
        for (CimPlans.Row r : p.layers()) {
            PlanSummary s = r.plan();
            rows.add(List.of(r.layer() + (r.graphInput() ? " *" : ""), r.op(), s.k() + "×" + s.n(), s.groups(), s.slices(),
                    s.planes(), s.rowTiles() + "×" + s.colTiles(), s.arrays(), pct(s.utilization()),
                    String.format(Locale.ROOT, "%,d", s.adcConversionsPerImage())));
        }
        rows.add(List.of("total", "", "", "", "", "", "", p.totals().get("arrays"), "",
                String.format(Locale.ROOT, "%,d", p.totals().get("adcConversionsPerImage"))));
        Html.table(out, "plan", List.of("layer", "op", "K×N", "groups", "slices S", "input planes", "tiles (rows×cols)",
                "arrays", "utilization", "partial sums / image"), rows);
        out.append("<p class=\"note\">").append(esc(p.note())).append("</p>\n</section>\n");
    }

    private static void histograms(ReportData d, StringBuilder out) {
        out.append("<section id=\"histograms\">\n<h2>Partial-sum histograms</h2>\n");
        if (d.histograms() == null) {
            out.append("<p>No calibration data was given (--dataset), so no partial sums were counted.</p>\n</section>\n");
            return;
        }
        out.append("<p>").append(esc("Integer partial sums of every array, input bit-plane and weight slice of the layer, "
                + "pooled and unweighted (the values its ADCs convert), over " + d.calibration() + "; counts on a log scale. "
                + "Solid red lines: the values Q outputs; dashed grey lines: its decision thresholds. The table gives the "
                + "step Δ (partial-sum units) each method picks from the same histograms at L = " + d.levels()
                + " (one Δ per layer; mse-network: one Δ for all layers).")).append("</p>\n");
        int i = 0;
        for (LayerHistogram h : d.histograms()) {
            String id = "hist-" + i++;
            out.append("<figure class=\"histogram\" id=\"").append(id).append("-figure\">\n")
                    .append(Charts.histogram(h, id, 760, 300)).append('\n')
                    .append("<figcaption>").append(esc(h.layer() + ": " + h.total() + " partial sums, |v| ≤ " + max(h)))
                    .append(h.note() != null ? " " + esc(h.note()) : "").append("</figcaption>\n");
            out.append("<table class=\"steps\">\n<thead><tr><th>method</th><th>Δ at L = ").append(d.levels())
                    .append("</th></tr></thead>\n<tbody>\n");
            for (Map.Entry<String, Double> e : h.methodDeltas().entrySet()) {
                boolean chosen = e.getKey().equals(h.chosenMethod());
                out.append(chosen ? "<tr class=\"chosen\">" : "<tr>").append("<td>").append(esc(e.getKey()))
                        .append(chosen ? " (drawn)" : "").append("</td><td class=\"num\">").append(esc(fmt(e.getValue())))
                        .append("</td></tr>\n");
            }
            out.append("</tbody>\n</table>\n</figure>\n");
        }
        out.append("</section>\n");
    }

    private static void accuracy(ReportData d, StringBuilder out) {
        out.append("<section id=\"accuracy\">\n<h2>Accuracy against ADC levels</h2>\n");
        Sweep s = d.sweep();
        if (s == null) {
            out.append("<p>No sweep was given (--sweep SWEEP.json), so there is no accuracy curve.</p>\n</section>\n");
            return;
        }
        out.append("<p>").append(esc("From " + d.sweepSource() + ": " + (s.model() != null ? s.model() : "model ?") + " on "
                + (s.dataset() != null ? s.dataset() : "?") + (s.testImages() != null ? ", " + s.testImages() + " test images" : "")
                + (s.calibImages() != null ? ", calibrated on " + s.calibImages() + " images" : "") + "."))
                .append("</p>\n<figure class=\"accuracy\">\n").append(Charts.accuracy(s, "accuracy-chart", 760, 380))
                .append("\n<figcaption>top-1 per method; dashed: float model and L = 0 (no ADC)</figcaption>\n</figure>\n");
        List<String> methods = s.methods();
        List<String> header = new ArrayList<>(List.of("L"));
        header.addAll(methods);
        List<List<Object>> rows = new ArrayList<>();
        for (int l : s.bestPerLevel().keySet()) {
            List<Object> row = new ArrayList<>(List.of(l));
            for (String m : methods) {
                row.add(s.points().stream().filter(p -> p.levels() == l && p.method().equals(m)).findFirst()
                        .map(p -> pct(p.top1())).orElse("–"));
            }
            rows.add(row);
        }
        Html.table(out, "sweep", header, rows);
        out.append("</section>\n");
    }

    private static void cost(ReportData d, StringBuilder out) {
        HardwareCost c = d.costs().get(0);
        out.append("<section id=\"cost\">\n<h2>Hardware cost</h2>\n<p>").append(esc(CostTables.describe(c.model())
                + "; the rest of the accelerator does not change with L. Relative energy = (1 − s_E) + s_E·size(L)/size("
                + c.model().baselineLevels() + "), area likewise with s_A; size = L − 1 comparators (flash) or ceil(log2 L) "
                + "bit cycles (SAR).")).append("</p>\n");
        List<List<Object>> rows = new ArrayList<>();
        for (LayerCost l : c.layers()) {
            rows.add(List.of(l.layer(), l.arrays(), l.rowTiles(), l.columns(), l.inputCycles(), l.positions(),
                    String.format(Locale.ROOT, "%,d", l.conversions()), fmt(l.adcEnergy())));
        }
        rows.add(List.of("total", c.arrays(), "", "", "", "", String.format(Locale.ROOT, "%,d", c.conversions()),
                fmt(c.adcEnergy())));
        out.append("<h3>Per layer at L = ").append(c.levels()).append("</h3>\n");
        Html.table(out, "cost-layers", List.of("layer", "arrays", "row tiles", "columns", "input cycles", "positions",
                "ADC conversions / image", "ADC energy (" + c.model().baselineLevels() + "-level conversions)"), rows);
        List<List<Object>> totals = new ArrayList<>();
        for (HardwareCost h : d.costs().stream().sorted((a, b) -> Integer.compare(a.levels(), b.levels())).toList()) {
            totals.add(List.of(h.levels(), h.comparatorsPerAdc(), fmt(h.relativeEnergy()), CostTables.pct(h.energySaving()),
                    fmt(h.relativeArea()), CostTables.pct(h.areaSaving())));
        }
        out.append("<h3>Totals per L</h3>\n");
        Html.table(out, "cost-totals", List.of("L", "comparators", "relative energy", "energy saving", "relative area",
                "area saving"), totals);
        out.append("</section>\n");
    }

    private static String config(Map<String, Object> c) {
        StringBuilder b = new StringBuilder();
        c.forEach((k, v) -> b.append(b.length() > 0 ? ", " : "").append(k).append(' ').append(v));
        return b.toString();
    }

    private static int max(LayerHistogram h) {
        int m = 0;
        for (int i = 0; i < h.counts().length; i++) {
            if (h.counts()[i] > 0) {
                m = Math.max(m, Math.abs(i - h.bound()));
            }
        }
        return m;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }
}
