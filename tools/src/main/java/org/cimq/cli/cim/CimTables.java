package org.cimq.cli.cim;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.cimq.cli.TextTable;

/** The plain-text tables of the CIM reports: built layers, tile plans, and the nodes of a transformed model. */
public final class CimTables {
    private CimTables() {
    }

    /** The layers of a built model ({@link LayerReport}) or of a transformed one ({@link CimNodes.Layer}), with totals. */
    public static void printReport(CimReport r, PrintWriter out) {
        if (r.layers().isEmpty() || r.layers().get(0) instanceof CimNodes.Layer) {
            @SuppressWarnings("unchecked")
            List<CimNodes.Layer> layers = (List<CimNodes.Layer>) r.layers();
            printNodes(layers, out);
            return;
        }
        out.printf("CIM layers (ADC steps: %s; calibration: %s)%n", r.rangesMethod(), r.calibration());
        TextTable t = new TextTable("  ", "layer", "op", "s_x", "input", "L", "delta", "K x N", "S", "planes", "tiles",
                "arrays", "util %", "ADC conv/img");
        for (Object o : r.layers()) {
            LayerReport l = (LayerReport) o;
            PlanSummary p = l.plan();
            t.row(l.name(), l.op(), fmt(l.inputScale()), l.inputMode(), l.levels(), delta(l), p.k() + "x" + p.n(), p.slices(),
                    p.planes(), p.rowTiles() + "x" + p.colTiles(), p.arrays(), pct(p.utilization()), p.adcConversionsPerImage());
        }
        t.print(out);
        out.printf("total: %d arrays, %,d ADC conversions per image%n", r.totals().get("arrays"),
                r.totals().get("adcConversionsPerImage"));
        out.flush();
    }

    /** The tile plan of every mapped layer, the totals and the layers kept digital. */
    public static void printPlans(CimPlans c, PrintWriter out) {
        out.printf("CIM tile plan (%d mapped layers, %sx%s arrays)%n", c.layers().size(), c.cim().get("rows"), c.cim().get("cols"));
        TextTable t = new TextTable("  ", "layer", "op", "K x N", "groups", "S", "planes", "tiles", "arrays", "util %",
                "ADC conv/img");
        for (CimPlans.Row r : c.layers()) {
            PlanSummary p = r.plan();
            t.row(r.layer() + (r.graphInput() ? " *" : ""), r.op(), p.k() + "x" + p.n(), p.groups(), p.slices(), p.planes(),
                    p.rowTiles() + "x" + p.colTiles(), p.arrays(), pct(p.utilization()), p.adcConversionsPerImage());
        }
        t.print(out);
        out.printf("total: %d arrays, %,d ADC conversions per image%n", c.totals().get("arrays"),
                c.totals().get("adcConversionsPerImage"));
        out.println("digital: " + (c.digital().isEmpty() ? "none" : String.join(", ", c.digital())));
        out.println("note: " + c.note());
        out.flush();
    }

    /** The CIM nodes of an already-transformed model, per layer. */
    public static void printNodes(List<CimNodes.Layer> layers, PrintWriter out) {
        out.printf("CIM nodes (already transformed, %d layers)%n", layers.size());
        TextTable t = new TextTable("  ", "layer", "s_x", "input", "CimArray", "AdcQuantize", "CimShiftAdd", "L", "delta");
        for (CimNodes.Layer l : layers) {
            String delta = l.delta() != null ? fmt(l.delta()) : l.deltas() == null ? "-"
                    : l.deltas().get(0) instanceof Float ? "per array " + l.deltas() : "per column";
            t.row(l.name(), fmt(l.inputScale()), l.inputMode(), l.arrayNodes(), l.adcNodes(), l.shiftAddNodes(), l.levels(), delta);
        }
        t.print(out);
        out.printf("total: %d CimArray nodes (one per row tile), %d AdcQuantize nodes%n",
                layers.stream().mapToInt(CimNodes.Layer::arrayNodes).sum(), layers.stream().mapToInt(CimNodes.Layer::adcNodes).sum());
        out.flush();
    }

    private static String delta(LayerReport l) {
        if (l.delta() != null) {
            return fmt(l.delta());
        }
        if (l.deltas() instanceof double[] a) {
            StringBuilder sb = new StringBuilder("per array [");
            for (int i = 0; i < a.length; i++) {
                sb.append(i > 0 ? ", " : "").append(fmt(a[i]));
            }
            return sb.append(']').toString();
        }
        return l.deltas() != null ? "per column" : "-";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f", 100 * fraction);
    }
}
