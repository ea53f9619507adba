package org.cimq.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading sweep files: the documented shape, and errors that name the file and the field. */
class SweepFileTest {
    static final String GOOD = """
            {"model": "m.onnx", "dataset": "fashion-mnist", "testImages": 1000, "calibImages": 200,
             "config": {"rows": 128, "adc_levels": 3}, "floatTop1": 0.918, "losslessTop1": 0.915,
             "points": [
               {"method": "mse", "levels": 3, "top1": 0.88, "calibTop1": 0.87, "seconds": 12.3},
               {"method": "minmax", "levels": 3, "top1": 0.41, "calibTop1": null},
               {"method": "mse", "levels": 5, "top1": 0.905}]}
            """;

    @TempDir
    Path dir;

    @Test
    void readsTheDocumentedShape() throws Exception {
        Path f = Files.writeString(dir.resolve("sweep.json"), GOOD);
        Sweep s = SweepFile.read(f);
        assertEquals("m.onnx", s.model());
        assertEquals(1000, s.testImages());
        assertEquals(0.918, s.floatTop1());
        assertEquals("128", s.config().get("rows"));
        assertEquals(3, s.points().size());
        assertEquals(new Sweep.Point("mse", 3, 0.88, 0.87, 12.3), s.points().get(0));
        assertNull(s.points().get(1).calibTop1());
        assertNull(s.points().get(2).seconds());
        assertEquals(List.of("mse", "minmax"), s.methods());
        assertEquals(List.of(3, 5), List.copyOf(s.bestPerLevel().keySet()));
        assertEquals("mse", s.bestPerLevel().get(3).method());
    }

    @Test
    void errorsNameTheFileAndTheField() throws Exception {
        assertError("{\"floatTop1\": 0.9}", "field 'points'");
        assertError(GOOD.replace("\"top1\": 0.41", "\"top1\": 41.0"), "field 'points[1].top1' must be a number in [0, 1]");
        assertError(GOOD.replace("\"method\": \"minmax\", ", ""), "field 'points[1].method'");
        assertError(GOOD.replace("\"levels\": 5", "\"levels\": \"five\""), "field 'points[2].levels' must be an integer");
        assertError(GOOD.replace("\"floatTop1\": 0.918", "\"floatTop1\": \"high\""), "field 'floatTop1'");
        assertError(GOOD.replace("\"seconds\": 12.3", "\"seconds\": -1"), "field 'points[0].seconds'");
        assertError("[1, 2]", "the file must be a JSON object");
        assertError("{\"points\": [", "not valid JSON");
    }

    private void assertError(String text, String expected) throws Exception {
        Path f = Files.writeString(dir.resolve("bad.json"), text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepFile.read(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
