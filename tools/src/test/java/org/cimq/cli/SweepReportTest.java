package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.RangesFile;
import org.cimq.cli.cim.CimBuildRequest;
import org.cimq.cli.cim.CimPlans;
import org.cimq.cli.report.ReportChecks;
import org.cimq.data.DatasetKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * {@code cimq sweep --report DIR} on the Fashion-MNIST CNN of models/ and the first few images of
 * the installed Fashion-MNIST: the page has every part and equals {@code cimq report}'s on the
 * sweep's JSON, sweep.json equals the --json file, --resume reads DIR/sweep.json, and a folder
 * that cannot be made fails before any work.
 */
class SweepReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MODEL = Path.of(System.getProperty("cimq.repo", ".."), "models", "fashion_mnist_cnn.onnx");
    private static final String DATA = DatasetKind.FASHION_MNIST.defaultDir().toString();
    private static final int CALIB_IMAGES = 20;
    private static final List<String> METHODS = List.of("minmax", "mse", "acc-layer");

    @TempDir
    Path dir;

    private static List<String> sweep(String... more) {
        List<String> a = new ArrayList<>(List.of("sweep", MODEL.toString(), "--cim", "--dataset", "fashion-mnist", "--data", DATA,
                "--calib-images", Integer.toString(CALIB_IMAGES), "--search-images", "10", "--limit", "30", "--levels", "3,5",
                "--methods", String.join(",", METHODS), "-q"));
        Collections.addAll(a, more);
        return a;
    }

    private static CliRun run(List<String> args) {
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void reportFolderHoldsThePageOfCimqReportTheSweepJsonAndTheRanges() throws Exception {
        assertTrue(Files.isRegularFile(MODEL), "no model at " + MODEL);
        Path json = dir.resolve("sweep.json");
        Path out = dir.resolve("out");
        CliRun r = run(sweep("--json", json.toString(), "--report", out.toString()));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("| method | L = 3 | L = 5 |"), r.out());

        assertArrayEquals(Files.readAllBytes(json), Files.readAllBytes(out.resolve("sweep.json")), "DIR/sweep.json is --json's");
        JsonNode sweep = JSON.readTree(json.toFile());
        assertEquals(METHODS.size() * 2, sweep.get("points").size());
        for (String m : METHODS) {
            for (int l : new int[] {3, 5}) {
                Path ranges = out.resolve("ranges").resolve(m + "-L" + l + ".json");
                assertEquals(m, RangesFile.read(ranges).method(), ranges.toString());
            }
        }

        String html = Files.readString(out.resolve("report.html"));
        Document doc = ReportChecks.check(html);
        CimPlans plans = CimPlans.of(CimBuildRequest.load(MODEL), CimConfig.DEFAULTS);
        assertFalse(plans.layers().isEmpty());
        assertEquals(plans.layers().size(), ReportChecks.figuresWithOneSvg(doc, "histogram"), "one histogram per mapped layer");
        String hist = ReportChecks.section(doc, "histograms");
        for (CimPlans.Row l : plans.layers()) {
            // every partial sum of the calibration images is counted: one per ADC conversion
            long sums = CALIB_IMAGES * l.plan().adcConversionsPerImage();
            assertTrue(hist.contains(l.layer() + ": " + sums + " partial sums"), l.layer() + " " + sums + ": " + hist);
        }
        assertEquals(1, ReportChecks.figuresWithOneSvg(doc, "accuracy"));
        String chart = ReportChecks.svgs(html).stream().filter(s -> s.startsWith("<svg id='accuracy-chart'")).findFirst()
                .orElseThrow();
        String accuracy = ReportChecks.section(doc, "accuracy");
        for (String m : METHODS) {
            assertTrue(chart.contains(">" + m + "<"), "the chart's legend names " + m);
            assertTrue(accuracy.contains(m), accuracy);
        }
        String summary = ReportChecks.section(doc, "summary");
        assertTrue(summary.contains("L = 3: ") && summary.contains("L = 5: "), summary);
        assertTrue(summary.contains("uses L = 3"), "the page is drawn at L = 3 when -L is not given");
        String cost = ReportChecks.section(doc, "cost");
        assertTrue(cost.contains("Per layer at L = 3") && cost.contains("Totals per L"), cost);

        Path page = dir.resolve("report.html");
        CliRun report = CliRun.of("report", MODEL.toString(), "--cim", "--dataset", "fashion-mnist", "--data", DATA,
                "--calib-images", Integer.toString(CALIB_IMAGES), "--sweep", out.resolve("sweep.json").toString(), "-q", "-o",
                page.toString());
        assertEquals(0, report.exit(), report.err());
        assertEquals(Files.readString(page), html, "sweep --report writes the page cimq report makes from its JSON");

        CliRun resumed = run(sweep("--report", out.toString(), "--resume"));
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals(sweep, JSON.readTree(out.resolve("sweep.json").toFile()),
                "--resume read DIR/sweep.json: nothing measured again (same seconds)");
        assertEquals(html, Files.readString(out.resolve("report.html")));
    }

    @Test
    void aFolderThatCannotBeMadeFailsBeforeAnyWork() throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "not a folder");
        Path json = dir.resolve("sweep.json");
        for (Path bad : List.of(file, file.resolve("sub"))) {
            CliRun r = run(sweep("--json", json.toString(), "--report", bad.toString()));
            assertEquals(1, r.exit(), r.err());
            assertEquals(1, r.errorLines().size(), r.err());
            assertTrue(r.errorLines().get(0).contains(bad + ": cannot create the report folder"), r.err());
            assertEquals("not a folder", Files.readString(file));
            assertFalse(Files.exists(json), "nothing measured, nothing written");
        }
        Path out = Files.createDirectories(dir.resolve("out").resolve("report.html")).getParent();
        CliRun blocked = run(sweep("--json", json.toString(), "--report", out.toString()));
        assertEquals(1, blocked.exit(), blocked.err());
        assertTrue(blocked.errorLines().get(0).contains(out.resolve("report.html") + ": is a folder"), blocked.err());
        assertFalse(Files.exists(json));
        assertFalse(Files.exists(out.resolve("sweep.json")));

        assertEquals(2, run(sweep("--energy-share", "0.5")).exit(), "cost options need --report");
        assertEquals(2, run(sweep("-L", "0", "--report", dir.resolve("l0").toString())).exit(), "the page needs an ADC");
        assertFalse(Files.exists(dir.resolve("l0")));
    }
}
