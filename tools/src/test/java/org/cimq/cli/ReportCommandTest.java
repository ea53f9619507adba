package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cimq.cli.report.ReportChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** {@code cimq report} end to end on the tiny CIM net and random images. */
class ReportCommandTest {
    private static final String SWEEP = """
            {"model": "cimnet.onnx", "dataset": "fashion-mnist", "floatTop1": 0.5, "losslessTop1": 0.45,
             "points": [{"method": "mse", "levels": 3, "top1": 0.3}, {"method": "minmax", "levels": 3, "top1": 0.2},
                        {"method": "mse", "levels": 5, "top1": 0.4}]}
            """;

    @TempDir
    Path dir;

    @Test
    void histogramsOfEveryPartialSumAndAllSections() throws Exception {
        TinyImages.write(dir, 30, 5);
        Path model = TinyModels.cimNet(dir, true);
        Path sweep = Files.writeString(dir.resolve("sweep.json"), SWEEP);
        Path out = dir.resolve("r.html");
        CliRun r = CliRun.of("report", model.toString(), "--rows", "16", "-L", "3", "--digital-layers=", "--dataset",
                "fashion-mnist", "--data", dir.toString(), "--calib-images", "20", "--batch", "7", "-q", "--sweep",
                sweep.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        String html = Files.readString(out);
        Document doc = ReportChecks.check(html);
        assertEquals(3, ReportChecks.figuresWithOneSvg(doc, "histogram"), "conv1, conv2, gemm");
        assertEquals(1, ReportChecks.figuresWithOneSvg(doc, "accuracy"));
        String hist = ReportChecks.section(doc, "histograms");
        // every partial sum of the 20 images is counted: 20 × (3072, 5184, 1080 per image; see CostCommandTest)
        assertTrue(hist.contains("conv1: 61440 partial sums"), hist);
        assertTrue(hist.contains("conv2: 103680 partial sums"), hist);
        assertTrue(hist.contains("gemm: 21600 partial sums"), hist);
        assertTrue(ReportChecks.section(doc, "summary").contains("L = 3: 30.00% (mse)"));
        assertTrue(ReportChecks.section(doc, "cost").contains("9,336"));
    }

    @Test
    void stepsOfARangesFileAreDrawnAndChecked() throws Exception {
        TinyImages.write(dir, 20, 5);
        Path model = TinyModels.cimNet(dir, true);
        Path ranges = dir.resolve("ranges.json");
        String[] common = {"--rows", "16", "--digital-layers=", "--dataset", "fashion-mnist", "--data", dir.toString(),
            "--calib-images", "10", "-q"};
        CliRun c = CliRun.of(concat(new String[] {"calibrate", model.toString(), "-L", "3", "--method", "sigma3", "-o",
            ranges.toString()}, common));
        assertEquals(0, c.exit(), c.err());
        Path out = dir.resolve("r.html");
        CliRun r = CliRun.of(concat(new String[] {"report", model.toString(), "-L", "3", "--ranges", ranges.toString(), "-o",
            out.toString()}, common));
        assertEquals(0, r.exit(), r.err());
        Document doc = ReportChecks.check(Files.readString(out));
        String hist = ReportChecks.section(doc, "histograms");
        assertTrue(hist.contains("file:ranges.json (drawn)"), hist);
        assertTrue(ReportChecks.section(doc, "summary").contains("file:ranges.json"));

        Path other = dir.resolve("l5.html");
        CliRun wrongL = CliRun.of(concat(new String[] {"report", model.toString(), "-L", "5", "--ranges", ranges.toString(),
            "-o", other.toString()}, common));
        assertEquals(1, wrongL.exit());
        assertTrue(wrongL.errorLines().get(0).contains(ranges + ": layer 'conv1': levels: 3"), wrongL.err());
        assertFalse(Files.exists(other));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void badSweepFailsBeforeAnyWorkAndWritesNothing() throws Exception {
        Path model = TinyModels.cimNet(dir, true);
        Path sweep = Files.writeString(dir.resolve("sweep.json"), SWEEP.replace("\"top1\": 0.2", "\"top1\": 20"));
        Path out = dir.resolve("r.html");
        CliRun r = CliRun.of("report", model.toString(), "-L", "3", "--sweep", sweep.toString(), "-o", out.toString());
        assertEquals(1, r.exit());
        assertEquals(1, r.errorLines().size(), r.err());
        assertTrue(r.errorLines().get(0).contains(sweep.toString()) && r.errorLines().get(0).contains("points[1].top1"),
                r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void noDataNoSweepAndUsageErrors() throws Exception {
        Path model = TinyModels.cimNet(dir, true);
        Path out = dir.resolve("r.html");
        CliRun plain = CliRun.of("report", model.toString(), "--cim", "-o", out.toString());
        assertEquals(0, plain.exit(), plain.err());
        Document doc = ReportChecks.check(Files.readString(out));
        assertTrue(ReportChecks.section(doc, "summary").contains("uses L = 3"), "L defaults to 3 when not given");
        assertTrue(ReportChecks.section(doc, "accuracy").contains("No sweep was given"));

        Path other = dir.resolve("zero.html");
        assertEquals(2, CliRun.of("report", model.toString(), "-L", "0", "-o", other.toString()).exit());
        assertEquals(2, CliRun.of("report", model.toString(), "-L", "3", "--calib-images", "5", "-o", other.toString()).exit());
        assertFalse(Files.exists(other));
    }
}
