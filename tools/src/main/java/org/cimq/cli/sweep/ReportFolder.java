package org.cimq.cli.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cimq.cim.calib.LayerHistograms;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.cost.CostModel;
import org.cimq.cli.OutputOptions;
import org.cimq.cli.report.ReportData;
import org.cimq.cli.report.ReportWriter;
import org.cimq.cli.report.SweepFile;
import org.cimq.ir.Model;

/**
 * The folder of {@code cimq sweep --report DIR}: {@code DIR/sweep.json}, the sweep's JSON as
 * {@code --json} writes it, rewritten after every point; {@code DIR/ranges/METHOD-L<L>.json}, the
 * steps of every point measured; and, at the end, {@code DIR/report.html}, the page
 * {@code cimq report MODEL --sweep DIR/sweep.json} makes for the same model, configuration and
 * calibration images. Every file is written atomically.
 */
final class ReportFolder {
    private final Path dir;

    private ReportFolder(Path dir) {
        this.dir = dir;
    }

    /** The sweep JSON in {@code dir}, without creating anything (what {@code --resume} reads when there is no --json). */
    static Path sweepJson(Path dir) {
        return dir.resolve("sweep.json");
    }

    /**
     * Creates {@code dir} and {@code dir/ranges}; refuses, naming the path, when either cannot be
     * created (a file in the way) or a folder stands where {@code sweep.json} or {@code report.html} go.
     */
    static ReportFolder create(Path dir) {
        ReportFolder f = new ReportFolder(dir);
        for (Path d : List.of(dir, f.ranges())) {
            if (Files.exists(d) && !Files.isDirectory(d)) {
                throw new IllegalArgumentException(d + ": cannot create the report folder: a file is in the way");
            }
        }
        for (Path file : List.of(f.sweepJson(), f.page())) {
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException(file + ": is a folder; the report writes a file there");
            }
        }
        for (Path d : List.of(dir, f.ranges())) {
            try {
                Files.createDirectories(d);
            } catch (IOException e) {
                throw new UncheckedIOException(d + ": cannot create the report folder: " + reason(e, d), e);
            }
        }
        return f;
    }

    private static String reason(IOException e, Path d) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            boolean same = d.toAbsolutePath().toString().equals(f.getFile()) || d.toString().equals(f.getFile());
            return (same ? "" : f.getFile() + ": ") + f.getReason();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied (" + f.getFile() + ")";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    Path sweepJson() {
        return sweepJson(dir);
    }

    Path ranges() {
        return dir.resolve("ranges");
    }

    Path page() {
        return dir.resolve("report.html");
    }

    void writeSweep(SweepReport r) {
        OutputOptions.writeJson(sweepJson(), r);
    }

    /**
     * Writes {@code report.html} from the sweep JSON as written (read back, as {@code cimq report --sweep} reads it).
     *
     * @param cfg        the configuration with the report's L ≥ 2
     * @param histograms the sweep's partial-sum counts on the calibration images
     * @return the page
     */
    String writePage(String modelName, Model prepared, CimConfig cfg, CostModel costModel,
                     Map<String, LayerHistograms> histograms, String calibration, List<String> notes) {
        ReportWriter.Counts counts = new ReportWriter.Counts(histograms, calibration, null, null);
        ReportData d = ReportWriter.data(modelName, prepared, cfg, costModel, counts, SweepFile.read(sweepJson()),
                sweepJson().getFileName().toString(), notes);
        return ReportWriter.write(d, page());
    }
}
