package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.cimq.data.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvalCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"cimq", "ort"})
    void passThroughModelScoresByBrightestPixel(String engine) throws Exception {
        TestFiles.writeArgmaxImages(dir, ".gz", 0, 5, 3, 2, 1, 4, 0);
        Path model = TinyModels.passThrough(dir, 1, 2, 3);
        Path json = dir.resolve("eval.json");
        CliRun r = CliRun.of("eval", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--batch", "3", "--limit", "5", "--engine", engine, "--threads", "1", "--json", json.toString(), "--quiet");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("top-1 1.0000 (5/5) on fashion-mnist test, engine " + engine), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(1.0, j.get("top1").asDouble());
        assertEquals(5, j.get("images").asInt());
        assertEquals(engine, j.get("engine").asText());
        assertTrue(j.get("seconds").asDouble() >= 0);
        assertEquals("fashion-mnist", j.get("dataset").asText());
    }

    @Test
    void customNormalisationCanChangeTheAnswer() throws Exception {
        TestFiles.writeArgmaxImages(dir, "", 1, 2);
        Path model = TinyModels.passThrough(dir, 1, 2, 3);
        CliRun r = CliRun.of("eval", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--mean", "0", "--std", "1", "-q");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("top-1 1.0000 (2/2)"), r.out());
    }

    @Test
    void wrongInputShapeIsOneClearLine() throws Exception {
        TestFiles.writeArgmaxImages(dir, "", 1, 2);
        Path model = TinyModels.passThrough(dir, 3, 32, 32);
        CliRun r = CliRun.of("eval", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(), "-q");
        assertEquals(1, r.exit());
        assertEquals("cimq: error: model input 'image' expects shape [-1, 3, 32, 32] (-1 = any), "
                + "but the data set gives images of [N, 1, 2, 3]", r.err().strip());
    }

    @Test
    void dataProblemsAndBadOptions() throws Exception {
        Path model = TinyModels.passThrough(dir, 1, 2, 3);
        CliRun missing = CliRun.of("eval", model.toString(), "--dataset", "fashion-mnist", "--data", dir.resolve("none").toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().startsWith("cimq: error: " + dir.resolve("none") + ": no such folder"), missing.err());
        assertEquals(1, missing.err().lines().count());

        TestFiles.writeArgmaxImages(dir, "", 1, 2);
        CliRun mean = CliRun.of("eval", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(), "--mean", "0.1,0.2");
        assertEquals(2, mean.exit());
        assertTrue(mean.err().contains("--mean/--std"), mean.err());
        assertEquals(2, CliRun.of("eval", model.toString(), "--dataset", "mnist", "--data", dir.toString()).exit());
        assertEquals(2, CliRun.of("eval", model.toString(), "--dataset", "cifar10").exit());
        assertEquals(2, CliRun.of("eval", model.toString(), "--dataset", "fashion-mnist", "--batch", "0").exit());
    }

    @Test
    void ortScoresResnet20NearItsPublishedAccuracy() throws Exception {
        Path cifar = org.cimq.data.RealDataTestAccess.cifarDir();
        Path json = dir.resolve("ort.json");
        CliRun r = CliRun.of("eval", InspectCommandTest.resnet20().toString(), "--dataset", "cifar10", "--data", cifar.toString(),
                "--limit", "500", "--engine", "ort", "--threads", "2", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        double top1 = new ObjectMapper().readTree(json.toFile()).get("top1").asDouble();
        assertTrue(top1 > 0.85 && top1 < 0.92, "ORT top-1 on 500 images " + top1 + ", expected near 0.88");
        assertTrue(r.err().contains("500/500"), r.err());
    }

    @Test
    void unsupportedOpNamesTheOpNodeOpsetAndWhatIsSupported() throws Exception {
        TestFiles.writeArgmaxImages(dir, "", 1, 2);
        Path model = TinyModels.unsupportedOp(dir);
        CliRun r = CliRun.of("eval", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(), "-q");
        assertEquals(1, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        String line = r.err().strip();
        for (String part : new String[] {"cimq: error:", "unsupported op Erf", "opset 13", "Erf node 'erf_0'", "supported ops: ", "Conv"}) {
            assertTrue(line.contains(part), part + " missing in: " + line);
        }
    }
}
