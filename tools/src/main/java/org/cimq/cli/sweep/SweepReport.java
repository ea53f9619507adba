package org.cimq.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code cimq sweep} writes as JSON (another tool's HTML report reads this shape): the model
 * file name, data set, test and calibration image counts, the acc methods' search settings
 * ({@code --search-images} as given, null for each method's default, and the defaults in effect,
 * {@code SearchSample.defaults}; {@code --significance}), the configuration ({@code CimConfig.toMap}),
 * float and lossless (L = 0) top-1, and one {@link Point} per finished (method, L). Top-1 values
 * are fractions in [0, 1]; null until measured.
 */
public record SweepReport(String model, String dataset, int testImages, int calibImages, Integer searchImages,
                          Map<String, Integer> searchDefaults, Double significance, Map<String, Object> config,
                          Double floatTop1, Double losslessTop1, List<Point> points) {
    /**
     * One finished (method, L): test top-1, the search sample's top-1 with the chosen steps and with the steps the
     * search started from, and the images in that sample (acc methods; else null; absent in files written before
     * they were recorded) and wall seconds.
     */
    public record Point(String method, int levels, double top1, Double calibTop1, Double calibStartTop1, Integer searchImages,
                        double seconds) { }

    private static final ObjectMapper JSON = new ObjectMapper();

    public SweepReport {
        points = List.copyOf(points);
    }

    public SweepReport withFloat(double top1) {
        return new SweepReport(model, dataset, testImages, calibImages, searchImages, searchDefaults, significance, config, top1,
                losslessTop1, points);
    }

    public SweepReport withLossless(double top1) {
        return new SweepReport(model, dataset, testImages, calibImages, searchImages, searchDefaults, significance, config,
                floatTop1, top1, points);
    }

    public SweepReport with(Point p) {
        List<Point> all = new ArrayList<>(points);
        all.add(p);
        return new SweepReport(model, dataset, testImages, calibImages, searchImages, searchDefaults, significance, config,
                floatTop1, losslessTop1, all);
    }

    /** The point of (method, L), or null. */
    public Point point(String method, int levels) {
        return points.stream().filter(p -> p.method().equals(method) && p.levels() == levels).findFirst().orElse(null);
    }

    /**
     * True when {@code other} was measured for the same model file, data set, image counts, search settings and
     * configuration (a file without the search defaults, written before each method had its own, matches none).
     */
    public boolean sameRunAs(SweepReport other) {
        JsonNode a = JSON.valueToTree(config);
        JsonNode b = JSON.valueToTree(other.config);
        return model.equals(other.model) && dataset.equals(other.dataset) && testImages == other.testImages
                && calibImages == other.calibImages && Objects.equals(searchImages, other.searchImages)
                && searchDefaults != null && searchDefaults.equals(other.searchDefaults)
                && significance != null && significance.equals(other.significance) && a.equals(b);
    }

    /** Reads a report written by {@code cimq sweep --json}; a bad file is an error naming it. */
    public static SweepReport read(Path file) {
        try {
            SweepReport r = JSON.readValue(file.toFile(), SweepReport.class);
            if (r.model() == null || r.dataset() == null || r.config() == null || r.points() == null) {
                throw new IllegalArgumentException(file + ": not a cimq sweep report (model, dataset, config or points missing)");
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the sweep report to resume: " + e.getMessage(), e);
        }
    }
}
