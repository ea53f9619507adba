package org.cimq.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYBarDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The report's charts, drawn by JFreeChart without a display and written by JFreeSVG as one
 * {@code <svg>} element each (text stays text; no external references). Every chart gets its own
 * prefix for the ids of its clip paths, so several can share one HTML page.
 */
public final class Charts {
    private static final Color LEVEL = new Color(0xC6, 0x28, 0x28);
    private static final Color THRESHOLD = new Color(0x55, 0x55, 0x55);
    private static final Color BARS = new Color(0x1F, 0x77, 0xB4);
    /** Distinct on white and for colour-blind readers (Okabe–Ito), one per method. */
    private static final Color[] SERIES = {new Color(0x00, 0x72, 0xB2), new Color(0xD5, 0x5E, 0x00),
        new Color(0x00, 0x9E, 0x73), new Color(0xCC, 0x79, 0xA7), new Color(0x56, 0xB4, 0xE9), new Color(0xE6, 0x9F, 0x00),
        new Color(0x00, 0x00, 0x00)};
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Charts() {
    }

    /**
     * A layer's partial-sum histogram on a log count axis, with Q's output levels as solid red
     * lines and its decision thresholds as dashed grey lines.
     */
    public static String histogram(LayerHistogram h, String id, int width, int height) {
        XYSeries s = new XYSeries("partial sums");
        int bound = h.bound();
        int lo = 0;
        int hi = 0;
        for (int i = 0; i < h.counts().length; i++) {
            if (h.counts()[i] > 0) {
                int v = i - bound;
                s.add(v, h.counts()[i]);
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        List<Double> levels = h.outputLevels();
        double xlo = Math.min(lo, levels.get(0)) - Math.max(1, h.delta() / 2);
        double xhi = Math.max(hi, levels.get(levels.size() - 1)) + Math.max(1, h.delta() / 2);
        NumberAxis x = new NumberAxis("partial sum (integer)");
        x.setRange(xlo, xhi);
        LogAxis y = new LogAxis("count");
        y.setBase(10);
        y.setSmallestValue(0.5);
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        y.setNumberFormatOverride(new java.text.DecimalFormat("0.#E0"));
        XYBarRenderer r = new XYBarRenderer();
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setBase(0.5);
        r.setSeriesPaint(0, BARS);
        XYPlot plot = new XYPlot(new XYBarDataset(new XYSeriesCollection(s), 0.9), x, y, r);
        double top = s.getItemCount() == 0 ? 10 : s.getMaxY() * 3;
        y.setRange(0.5, Math.max(top, 10));
        BasicStroke dashed = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f);
        for (double t : h.thresholds()) {
            plot.addDomainMarker(new ValueMarker(t, THRESHOLD, dashed));
        }
        for (double l : levels) {
            plot.addDomainMarker(new ValueMarker(l, LEVEL, new BasicStroke(1.6f)));
        }
        JFreeChart chart = new JFreeChart(h.layer(), TITLE, plot, false);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT,
                "L = %d, Δ = %.4g (%s): levels solid red, thresholds dashed; %,d partial sums", h.levels(), h.delta(),
                h.chosenMethod(), h.total())));
        return svg(chart, id, width, height);
    }

    /**
     * Top-1 (%) against ADC levels, one line per method, the float model and L = 0 (no ADC) as
     * horizontal lines.
     */
    public static String accuracy(Sweep sweep, String id, int width, int height) {
        XYSeriesCollection data = new XYSeriesCollection();
        double lo = 100;
        double hi = 0;
        int maxLevels = 2;
        for (String m : sweep.methods()) {
            XYSeries s = new XYSeries(m, true, false);
            for (Sweep.Point p : sweep.points()) {
                if (p.method().equals(m)) {
                    s.addOrUpdate(p.levels(), 100 * p.top1());
                    lo = Math.min(lo, 100 * p.top1());
                    hi = Math.max(hi, 100 * p.top1());
                    maxLevels = Math.max(maxLevels, p.levels());
                }
            }
            data.addSeries(s);
        }
        NumberAxis x = new NumberAxis("ADC levels L");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setRange(1.5, maxLevels + 0.5);
        NumberAxis y = new NumberAxis("top-1 (%)");
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesPaint(i, SERIES[i % SERIES.length]);
            r.setSeriesStroke(i, new BasicStroke(1.8f));
        }
        XYPlot plot = new XYPlot(data, x, y, r);
        Double[] refs = {sweep.floatTop1(), sweep.losslessTop1()};
        String[] names = {"float", "L = 0 (no ADC)"};
        Color[] colors = {new Color(0x2E, 0x7D, 0x32), new Color(0x6A, 0x1B, 0x9A)};
        for (int i = 0; i < refs.length; i++) {
            if (refs[i] == null) {
                continue;
            }
            double v = 100 * refs[i];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            ValueMarker m = new ValueMarker(v, colors[i], new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    10f, new float[] {6f, 3f}, 0f));
            m.setLabel(String.format(Locale.ROOT, "%s %.2f%%", names[i], v));
            m.setLabelPaint(colors[i]);
            m.setLabelAnchor(i == 0 ? RectangleAnchor.TOP_RIGHT : RectangleAnchor.BOTTOM_LEFT);
            m.setLabelTextAnchor(i == 0 ? TextAnchor.BOTTOM_RIGHT : TextAnchor.TOP_LEFT);
            plot.addRangeMarker(m);
        }
        if (lo > hi) {
            lo = 0;
            hi = 100;
        }
        double pad = Math.max(1, (hi - lo) * 0.08);
        y.setRange(Math.max(0, lo - pad), Math.min(100, hi + pad) + (hi + pad > 100 ? 0.5 : 0));
        x.setTickUnit(new NumberTickUnit(maxLevels > 20 ? 4 : 1));
        JFreeChart chart = new JFreeChart("Top-1 against ADC levels", TITLE, plot, true);
        return svg(chart, id, width, height);
    }

    private static String svg(JFreeChart chart, String id, int width, int height) {
        chart.setBackgroundPaint(Color.WHITE);
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setDefsKeyPrefix(id + "-");
        chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        return g.getSVGElement(id);
    }
}
