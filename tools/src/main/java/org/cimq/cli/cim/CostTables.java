package org.cimq.cli.cim;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.cimq.cim.cost.CostModel;
import org.cimq.cim.cost.HardwareCost;
import org.cimq.cim.cost.LayerCost;
import org.cimq.cli.TextTable;

/** The plain-text tables of {@code cimq cost}: per layer at one L, and totals per L. */
public final class CostTables {
    private CostTables() {
    }

    /** One line saying what the model assumes. */
    public static String describe(CostModel m) {
        return String.format(Locale.ROOT, "%s ADCs; baseline %d levels, where ADCs are %.0f%% of the energy and %.0f%% of the area",
                m.scaling().id(), m.baselineLevels(), 100 * m.energyShare(), 100 * m.areaShare());
    }

    /** The per-layer table of {@code c} with its total row. */
    public static void printLayers(HardwareCost c, PrintWriter out) {
        out.printf(Locale.ROOT, "hardware cost per image at L = %d (%d comparators per flash ADC; %s)%n", c.levels(),
                c.comparatorsPerAdc(), describe(c.model()));
        TextTable t = new TextTable("  ", "layer", "arrays", "row tiles", "columns", "cycles", "positions", "ADC conv/img",
                "ADC energy (" + c.model().baselineLevels() + "-level conv)");
        for (LayerCost l : c.layers()) {
            t.row(l.layer(), l.arrays(), l.rowTiles(), l.columns(), l.inputCycles(), l.positions(), l.conversions(),
                    fmt(l.adcEnergy()));
        }
        t.row("total", c.arrays(), "", "", "", "", c.conversions(), fmt(c.adcEnergy()));
        t.print(out);
        out.flush();
    }

    /** One row per L: comparators, energy and area relative to the baseline and their savings. */
    public static void printTotals(List<HardwareCost> costs, PrintWriter out) {
        TextTable t = new TextTable("  ", "L", "comparators", "ADC conv/img", "rel. energy", "energy saving", "rel. area",
                "area saving");
        for (HardwareCost c : costs) {
            t.row(c.levels(), c.comparatorsPerAdc(), c.conversions(), fmt(c.relativeEnergy()), pct(c.energySaving()),
                    fmt(c.relativeArea()), pct(c.areaSaving()));
        }
        t.print(out);
        out.flush();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A fraction as a percentage with one decimal. */
    public static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
