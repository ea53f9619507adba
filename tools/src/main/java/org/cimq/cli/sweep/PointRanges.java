package org.cimq.cli.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.RangesAdapter;
import org.cimq.cim.config.Ranges;
import org.cimq.cim.config.RangesFile;
import org.cimq.cim.search.CalibrationMethod;
import org.cimq.cim.search.RangeChoice;

/**
 * One sweep point's ADC steps as a ranges.json, {@code DIR/METHOD-L<L>.json} (written atomically),
 * with the model file and the calibration images as extra fields: what {@code cimq eval --ranges}
 * reads to measure the point again.
 */
final class PointRanges {
    private PointRanges() {
    }

    static void write(Path dir, RangeChoice.Choice c, CalibrationMethod m, int levels, List<MappedLayer> layers, String model,
                      String calibration) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot create the folder: " + e.getMessage(), e);
        }
        Ranges base = RangesAdapter.toRanges(c.adc(), m.id(), c.config(), layers);
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("model", model);
        extra.put("calibration", calibration);
        RangesFile.write(base.withExtra(extra),
                dir.resolve(m.id() + "-L" + levels + ".json"));
    }
}
