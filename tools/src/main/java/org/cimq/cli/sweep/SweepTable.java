package org.cimq.cli.sweep;

import java.io.PrintWriter;
import java.util.List;

/** The sweep as a Markdown table: one row per method, one column per L, test top-1 in percent. */
final class SweepTable {
    private SweepTable() {
    }

    static void print(SweepReport r, List<String> methods, List<Integer> levels, PrintWriter out) {
        out.printf("%s on %s, %d test images (calibration: %d train images)%n%n", r.model(), r.dataset(), r.testImages(),
                r.calibImages());
        out.printf("float top-1: %s; lossless (L = 0) top-1: %s%n%n", pct(r.floatTop1()), pct(r.losslessTop1()));
        StringBuilder head = new StringBuilder("| method |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int l : levels) {
            head.append(" L = ").append(l).append(" |");
            rule.append("---:|");
        }
        out.println(head);
        out.println(rule);
        for (String m : methods) {
            StringBuilder row = new StringBuilder("| ").append(m).append(" |");
            for (int l : levels) {
                SweepReport.Point p = r.point(m, l);
                row.append(' ').append(p == null ? "–" : pct(p.top1())).append(" |");
            }
            out.println(row);
        }
    }

    private static String pct(Double v) {
        return v == null ? "–" : String.format("%.2f", 100 * v);
    }
}
