package org.cimq.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Top-1 accuracy of a CIM model against its ADC levels, one point per (method, L), as another
 * tool measured it ({@link SweepFile}). Accuracies are fractions in [0, 1]; {@code floatTop1}
 * (the float model) and {@code losslessTop1} (L = 0, no ADC) may be null, as may the counts.
 */
public record Sweep(String model, String dataset, Integer testImages, Integer calibImages, Map<String, Object> config,
                    Double floatTop1, Double losslessTop1, List<Point> points) {
    /** One measurement; {@code calibTop1} and {@code seconds} may be null. */
    public record Point(String method, int levels, double top1, Double calibTop1, Double seconds) { }

    public Sweep {
        points = List.copyOf(points);
    }

    /** The best point at each L (ties: the first listed), by increasing L. */
    public Map<Integer, Point> bestPerLevel() {
        Map<Integer, Point> best = new TreeMap<>();
        for (Point p : points) {
            Point b = best.get(p.levels());
            if (b == null || p.top1() > b.top1()) {
                best.put(p.levels(), p);
            }
        }
        return best;
    }

    /** The methods in order of first appearance. */
    public List<String> methods() {
        List<String> out = new ArrayList<>();
        points.forEach(p -> {
            if (!out.contains(p.method())) {
                out.add(p.method());
            }
        });
        return out;
    }
}
