package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cimq.ir.Model;
import org.cimq.onnx.OnnxImporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cimq retrain} end to end on a tiny model and data set: the reported top-1 is what
 * {@code cimq eval --cim --ranges} says of the written model, ONNX Runtime runs that model as
 * cimq does, resuming a finished run changes nothing, and bad options are usage errors.
 */
class RetrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private CliRun retrain(Path model, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("retrain", model.toString(), "--dataset", "fashion-mnist", "--data",
                dir.toString(), "--cim", "--rows", "16", "--calib-images", "20", "--train-images", "40", "--batch", "16", "-q"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** {@code cimq eval MODEL} at L with the retrain runs' CIM and calibration options (and {@code ranges} unless null): its JSON. */
    private JsonNode eval(Path model, int levels, Path ranges, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("eval", model.toString(), "--dataset", "fashion-mnist", "--data",
                dir.toString(), "--cim", "--rows", "16", "-L", Integer.toString(levels), "--calib-images", "20", "-q", "--json",
                dir.resolve("eval.json").toString()));
        if (ranges != null) {
            args.addAll(List.of("--ranges", ranges.toString()));
        }
        args.addAll(List.of(more));
        CliRun e = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, e.exit(), e.err());
        return JSON.readTree(dir.resolve("eval.json").toFile());
    }

    /** The layers of {@code cimq calibrate --method mse} on MODEL at L with the retrain runs' options. */
    private JsonNode mseRanges(Path model, int levels) throws Exception {
        Path file = dir.resolve("mse.ranges.json");
        CliRun c = CliRun.of("calibrate", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(), "--cim", "--rows",
                "16", "-L", Integer.toString(levels), "--method", "mse", "--calib-images", "20", "-q", "-o", file.toString());
        assertEquals(0, c.exit(), c.err());
        return JSON.readTree(file.toFile()).get("layers");
    }

    @Test
    void reportedTop1IsWhatEvalSaysOfTheWrittenModel() throws Exception {
        TinyImages.write(dir, 40, 30);
        Path model = TinyModels.cimNet(dir, true);
        Path out = dir.resolve("retrained.onnx");
        CliRun r = retrain(model, "-L", "5", "--epochs", "1", "--lr", "0.01", "-o", out.toString(), "--json",
                dir.resolve("r.json").toString());
        assertEquals(0, r.exit(), r.err());
        Path ranges = dir.resolve("retrained.ranges.json");
        assertTrue(Files.isRegularFile(ranges));
        JsonNode report = JSON.readTree(dir.resolve("r.json").toFile());
        JsonNode eval = eval(out, 5, ranges);
        assertEquals(30, report.get("testImages").asInt());
        assertEquals(eval.get("correct").asInt(), report.get("correct").asInt());
        assertEquals(eval.get("top1").asDouble(), report.get("top1").asDouble(), 0);
        assertEquals(5, JSON.readTree(ranges.toFile()).get("layers").get(0).get("levels").asInt());
        assertEquals("fake-quant-scaled", report.get("backward").asText(), "the default engine");

        Model written = OnnxImporter.load(out);
        Model source = org.cimq.runtime.ModelLoader.load(model);
        float[] before = source.graph().valuesByName().get("w2").constant().toFloatArray();
        float[] after = written.graph().valuesByName().get("w2").constant().toFloatArray();
        assertFalse(java.util.Arrays.equals(before, after), "conv2's weights did not change");
        float[] x = new float[2 * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        long[] shape = {2, 1, 8, 8};
        OrtRunner.assertAgrees(OrtRunner.cimq(written, x, shape), OrtRunner.ort(out, x, shape), 10, "retrained model");
    }

    @Test
    void resumingAFinishedRunWritesTheSameWeights() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path model = TinyModels.cimNet(dir, true);
        Path ckpt = dir.resolve("ckpt");
        Path a = dir.resolve("a.onnx");
        Path b = dir.resolve("b.onnx");
        assertEquals(0, retrain(model, "-L", "3", "--epochs", "2", "--checkpoint-dir", ckpt.toString(), "--checkpoint-every", "1",
                "-o", a.toString()).exit());
        assertTrue(Files.isRegularFile(ckpt.resolve("checkpoint.bin")));
        CliRun r = retrain(model, "-L", "3", "--epochs", "2", "--checkpoint-dir", ckpt.toString(), "--resume", "-o", b.toString());
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(OnnxImporter.load(a).graph().valuesByName().get("w2").constant().toFloatArray(),
                OnnxImporter.load(b).graph().valuesByName().get("w2").constant().toFloatArray());
        CliRun other = retrain(model, "-L", "3", "--epochs", "2", "--lr", "0.01", "--checkpoint-dir", ckpt.toString(), "--resume",
                "-o", dir.resolve("c.onnx").toString());
        assertEquals(1, other.exit());
        assertTrue(other.err().contains("checkpoint.bin: written for another model or other options"), other.err());
        assertFalse(Files.exists(dir.resolve("c.onnx")));
    }

    /**
     * --test-each-epoch: every epoch's model and ranges are written and tested at that epoch's L; the last epoch's model
     * is the final one (same weights, so the same top-1), and an earlier epoch's top-1 is what cimq eval says of its file.
     */
    @Test
    void testEachEpochWritesAndMeasuresEveryEpochsModel() throws Exception {
        TinyImages.write(dir, 40, 20);
        Path model = TinyModels.cimNet(dir, true);
        Path out = dir.resolve("c.onnx");
        Path json = dir.resolve("c.json");
        CliRun r = retrain(model, "--epochs", "2", "--anneal", "7,3", "--lr", "0.01", "--test-each-epoch", "-o", out.toString(),
                "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode report = JSON.readTree(json.toFile());
        JsonNode tests = report.get("epochTests");
        assertEquals(2, tests.size());
        assertEquals(7, tests.get(0).get("levels").asInt());
        assertEquals(3, tests.get(1).get("levels").asInt());
        for (int e = 0; e < 2; e++) {
            assertEquals(e + 1, tests.get(e).get("epoch").asInt());
            assertTrue(Files.isRegularFile(dir.resolve("c.epoch-" + (e + 1) + ".onnx")));
            assertTrue(Files.isRegularFile(dir.resolve("c.epoch-" + (e + 1) + ".ranges.json")));
            assertEquals(20, tests.get(e).get("images").asInt());
        }
        assertEquals(report.get("correct").asInt(), tests.get(1).get("correct").asInt(), "the last epoch's model is the final one");
        assertArrayEquals(OnnxImporter.load(out).graph().valuesByName().get("w2").constant().toFloatArray(),
                OnnxImporter.load(dir.resolve("c.epoch-2.onnx")).graph().valuesByName().get("w2").constant().toFloatArray());
        assertEquals(eval(dir.resolve("c.epoch-1.onnx"), 7, dir.resolve("c.epoch-1.ranges.json")).get("correct").asInt(),
                tests.get(0).get("correct").asInt());
        assertTrue(r.out().contains("epoch 1  L=7  CIM test top-1"), r.out());
    }

    @Test
    void aHeldQuantizerIsWrittenWithItsInputScalesAndEvalUsesThem() throws Exception {
        TinyImages.write(dir, 40, 20);
        Path model = TinyModels.cimNet(dir, true);
        Path out = dir.resolve("h.onnx");
        Path json = dir.resolve("h.json");
        CliRun r = retrain(model, "-L", "5", "--epochs", "2", "--lr", "0.01", "--hold-quantizer", "--teacher", model.toString(),
                "--distill-weight", "0.5", "--test-each-epoch", "-o", out.toString(), "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode startLayers = eval(model, 5, null).get("layers");
        JsonNode startRanges = mseRanges(model, 5);
        for (String file : new String[] {"h.ranges.json", "h.epoch-1.ranges.json"}) {
            JsonNode held = JSON.readTree(dir.resolve(file).toFile());
            assertEquals("held", held.get("method").asText(), file);
            assertEquals(startLayers.size(), held.get("layers").size(), file);
            for (int i = 0; i < startLayers.size(); i++) {
                JsonNode l = held.get("layers").get(i);
                assertEquals(startLayers.get(i).get("inputScale").floatValue(), l.get("inputScale").floatValue(), file + " " + l);
                assertEquals((float) startRanges.get(i).get("delta").asDouble(), (float) l.get("delta").asDouble(), file + " " + l);
            }
        }
        JsonNode eval = eval(out, 5, dir.resolve("h.ranges.json"));
        assertEquals(eval.get("correct").asInt(), JSON.readTree(json.toFile()).get("correct").asInt());
        for (int i = 0; i < startLayers.size(); i++) {
            assertEquals(startLayers.get(i).get("inputScale").floatValue(), eval.get("layers").get(i).get("inputScale").floatValue(),
                    "eval takes the file's input scale, not the new weights' percentile");
        }
        String recipe = OnnxImporter.load(out).metadata().get("cimq.retrain");
        assertTrue(recipe.startsWith("quantizer held, ") && recipe.contains("distilled from " + model.getFileName() + " (weight 0.5)"),
                recipe);

        CliRun annealed = retrain(model, "--epochs", "2", "--anneal", "7,3", "--hold-quantizer", "-o", dir.resolve("x.onnx").toString());
        assertEquals(1, annealed.exit(), annealed.err());
        assertTrue(annealed.err().contains("a held quantizer needs the same ADC levels in every epoch, got [7, 3]"), annealed.err());
        CliRun weight = retrain(model, "-L", "5", "--epochs", "1", "--teacher", model.toString(), "--distill-weight", "1.5", "-o",
                dir.resolve("x.onnx").toString());
        assertEquals(2, weight.exit(), weight.err());
        assertTrue(weight.err().contains("--distill-weight must be in [0, 1], got 1.5"), weight.err());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }

    @Test
    void batchNormTrainingWritesTheFoldedInputGraphThatEvalReproduces() throws Exception {
        TinyImages.write(dir, 40, 20);
        Path model = TinyModels.cimNet(dir, true);
        Path out = dir.resolve("bn.onnx");
        Path json = dir.resolve("bn.json");
        CliRun r = retrain(model, "-L", "3", "--digital-layers", "", "--epochs", "2", "--lr", "0.01", "--hold-quantizer",
                "--train-batch-norm", "--test-each-epoch", "-o", out.toString(), "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode report = JSON.readTree(json.toFile());
        assertEquals(eval(out, 3, dir.resolve("bn.ranges.json"), "--digital-layers", "").get("correct").asInt(),
                report.get("correct").asInt());
        assertEquals(report.get("correct").asInt(), report.get("epochTests").get(1).get("correct").asInt());
        Model written = OnnxImporter.load(out);
        assertEquals(OnnxImporter.load(model).graph().nodes().stream().map(n -> n.opType()).toList(),
                written.graph().nodes().stream().map(n -> n.opType()).toList(), "the BN layers are folded away");
        assertTrue(written.metadata().get("cimq.retrain").contains("batch statistics in training"), written.metadata().toString());
        assertFalse(written.graph().initializers().keySet().stream().anyMatch(k -> k.contains("cimq_bn")),
                written.graph().initializers().keySet().toString());

        // the 1-bit mid-rise ADC is not odd-symmetric: the BN scales are kept positive, and the folded model still evaluates as reported
        Path midRise = dir.resolve("bn2.onnx");
        CliRun two = retrain(model, "-L", "2", "--quantizer", "mid-rise", "--digital-layers", "", "--epochs", "1", "--lr", "0.05",
                "--hold-quantizer", "--train-batch-norm", "--batch-norm-start", "no-adc", "-o", midRise.toString(), "--json", json.toString());
        assertEquals(0, two.exit(), two.err());
        assertEquals(eval(midRise, 2, dir.resolve("bn2.ranges.json"), "--digital-layers", "", "--quantizer", "mid-rise")
                .get("correct").asInt(), JSON.readTree(json.toFile()).get("correct").asInt());
        assertTrue(OnnxImporter.load(midRise).metadata().get("cimq.retrain").contains("its scales kept positive, started at the "
                + "ADC-free layers' statistics"));

        String o = dir.resolve("x.onnx").toString();
        CliRun searched = retrain(model, "-L", "3", "--epochs", "1", "--train-batch-norm", "-o", o);
        assertEquals(2, searched.exit(), searched.err());
        assertTrue(searched.err().contains("--train-batch-norm needs --hold-quantizer"), searched.err());
        CliRun arrays = retrain(model, "-L", "3", "--epochs", "1", "--hold-quantizer", "--train-batch-norm", "--backward", "arrays",
                "-o", o);
        assertEquals(2, arrays.exit(), arrays.err());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }

    @Test
    void learnedStepsAreWrittenAndEvalReproducesTheReportedTop1() throws Exception {
        TinyImages.write(dir, 40, 20);
        Path model = TinyModels.cimNet(dir, true);
        Path out = dir.resolve("l.onnx");
        Path json = dir.resolve("l.json");
        CliRun r = retrain(model, "-L", "3", "--epochs", "2", "--lr", "0.01", "--learn-steps", "--step-lr", "0.05", "--test-each-epoch",
                "-o", out.toString(), "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode start = mseRanges(model, 3);
        JsonNode learned = JSON.readTree(dir.resolve("l.ranges.json").toFile());
        assertEquals("learned", learned.get("method").asText());
        boolean moved = false;
        for (int i = 0; i < start.size(); i++) {
            JsonNode l = learned.get("layers").get(i);
            assertTrue(l.get("inputScale").asDouble() > 0, l.toString());
            moved |= (float) l.get("delta").asDouble() != (float) start.get(i).get("delta").asDouble();
        }
        assertTrue(moved, "no step was learned: " + learned);
        JsonNode report = JSON.readTree(json.toFile());
        assertEquals(eval(out, 3, dir.resolve("l.ranges.json")).get("correct").asInt(), report.get("correct").asInt());
        assertEquals(report.get("correct").asInt(), report.get("epochTests").get(1).get("correct").asInt());
        assertEquals("learned", JSON.readTree(dir.resolve("l.epoch-1.ranges.json").toFile()).get("method").asText());
        CliRun even = retrain(model, "-L", "4", "--epochs", "1", "--learn-steps", "-o", dir.resolve("x.onnx").toString());
        assertEquals(1, even.exit(), even.err());
        assertTrue(even.err().contains("learning ADC steps needs an odd number of levels, got 4"), even.err());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }

    @Test
    void learnedInputScalesAreWrittenAndEvalReproducesTheReportedTop1() throws Exception {
        TinyImages.write(dir, 40, 20);
        Path model = TinyModels.cimNet(dir, true);
        Path out = dir.resolve("s.onnx");
        Path json = dir.resolve("s.json");
        CliRun r = retrain(model, "-L", "3", "--epochs", "2", "--lr", "0.01", "--learn-input-scales", "--scale-lr", "0.05",
                "--test-each-epoch", "-o", out.toString(), "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode startLayers = eval(model, 3, null).get("layers");
        JsonNode startRanges = mseRanges(model, 3);
        JsonNode learned = JSON.readTree(dir.resolve("s.ranges.json").toFile());
        assertEquals("learned", learned.get("method").asText());
        assertTrue(learned.get("calibration").asText().startsWith("input scales learned in retraining, steps held"), learned.toString());
        boolean moved = false;
        for (int i = 0; i < startLayers.size(); i++) {
            JsonNode l = learned.get("layers").get(i);
            assertEquals((float) startRanges.get(i).get("delta").asDouble(), (float) l.get("delta").asDouble(), "steps held: " + l);
            moved |= l.get("inputScale").floatValue() != startLayers.get(i).get("inputScale").floatValue();
        }
        assertTrue(moved, "no input scale was learned: " + learned);
        JsonNode report = JSON.readTree(json.toFile());
        assertEquals(eval(out, 3, dir.resolve("s.ranges.json")).get("correct").asInt(), report.get("correct").asInt());
        assertEquals(report.get("correct").asInt(), report.get("epochTests").get(1).get("correct").asInt());
        String recipe = OnnxImporter.load(out).metadata().get("cimq.retrain");
        assertTrue(recipe.startsWith("steps held, input scales learned (rate 0.05), "), recipe);
    }

    @Test
    void columnStepsAreHeldWrittenAndEvalReproducesTheReportedTop1() throws Exception {
        TinyImages.write(dir, 40, 20);
        Path model = TinyModels.cimNet(dir, true);
        Path out = dir.resolve("c.onnx");
        Path json = dir.resolve("c.json");
        CliRun r = retrain(model, "-L", "3", "--granularity", "column", "--epochs", "2", "--lr", "0.01", "--hold-quantizer",
                "--test-each-epoch", "-o", out.toString(), "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode held = JSON.readTree(dir.resolve("c.ranges.json").toFile());
        assertEquals("column", held.get("granularity").asText());
        for (JsonNode l : held.get("layers")) {
            assertTrue(l.get("deltas").isArray() && l.get("deltas").get(0).size() > 1 && l.get("inputScale").asDouble() > 0, l.toString());
        }
        JsonNode report = JSON.readTree(json.toFile());
        JsonNode eval = eval(out, 3, dir.resolve("c.ranges.json"), "--granularity", "column");
        assertEquals(report.get("correct").asInt(), eval.get("correct").asInt());
        assertEquals(report.get("correct").asInt(), report.get("epochTests").get(1).get("correct").asInt());
        CliRun learn = retrain(model, "-L", "3", "--granularity", "column", "--epochs", "1", "--learn-steps", "-o",
                dir.resolve("x.onnx").toString());
        assertEquals(1, learn.exit(), learn.err());
        assertTrue(learn.err().contains("learning ADC steps needs one step per layer, got granularity column"), learn.err());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }

    /**
     * Mid-rise ADCs (the natural 1-bit ADC, a comparator at zero) train on the runtime's engines: the written ranges say
     * mid-rise, and eval with {@code --quantizer mid-rise} and them gives the reported top-1; the engine and the option that
     * compute the zero-tread ADC only (the arrays graph, learned steps) refuse it by name, writing nothing.
     */
    @Test
    void midRiseAdcsTrainAndEvalReadsTheirRanges() throws Exception {
        TinyImages.write(dir, 40, 30);
        Path model = TinyModels.cimNet(dir, true);
        Path out = dir.resolve("m.onnx");
        Path json = dir.resolve("m.json");
        CliRun r = retrain(model, "-L", "2", "--quantizer", "mid-rise", "--epochs", "1", "--lr", "0.01", "--hold-quantizer", "-o",
                out.toString(), "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        Path ranges = dir.resolve("m.ranges.json");
        assertEquals("mid-rise", JSON.readTree(ranges.toFile()).get("quantizer").asText());
        List<String> args = new java.util.ArrayList<>(List.of("eval", out.toString(), "--dataset", "fashion-mnist", "--data",
                dir.toString(), "--cim", "--rows", "16", "-L", "2", "--quantizer", "mid-rise", "--calib-images", "20", "-q", "--json",
                dir.resolve("e.json").toString(), "--ranges", ranges.toString()));
        CliRun e = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, e.exit(), e.err());
        assertEquals(JSON.readTree(dir.resolve("e.json").toFile()).get("correct").asInt(),
                JSON.readTree(json.toFile()).get("correct").asInt());
        String[][] refused = {{"--backward", "arrays", "backward arrays computes the zero-tread ADC only; quantizer mid-rise trains with"},
            {"--backward", "exact", "backward exact models the zero-tread ADC only, got quantizer mid-rise"},
            {"--learn-steps", "learning ADC steps needs the zero-tread quantizer, got mid-rise"}};
        for (String[] c : refused) {
            List<String> a = new java.util.ArrayList<>(List.of("-L", "2", "--quantizer", "mid-rise", "--epochs", "1", "-o",
                    dir.resolve("x.onnx").toString()));
            a.addAll(List.of(c).subList(0, c.length - 1));
            CliRun bad = retrain(model, a.toArray(String[]::new));
            assertEquals(1, bad.exit(), bad.err());
            assertTrue(bad.err().contains(c[c.length - 1]), bad.err());
            assertFalse(Files.exists(dir.resolve("x.onnx")));
        }
    }

    /**
     * --bias-correction: conv2's bias moves before training (a learning rate of 1e-9 leaves it where it is without the
     * option), the recipe says so, and its checkpoint is not resumed by a run without it.
     */
    @Test
    void biasCorrectionMovesTheBiasesBeforeTrainingAndIsPartOfTheRun() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path model = TinyModels.cimNet(dir, true);
        float[] source = org.cimq.runtime.ModelLoader.load(model).graph().valuesByName().get("b2").constant().toFloatArray();
        double[] moved = new double[2];
        for (int run = 0; run < 2; run++) {
            Path out = dir.resolve("bc" + run + ".onnx");
            List<String> a = new java.util.ArrayList<>(List.of("-L", "2", "--quantizer", "mid-rise", "--hold-quantizer", "--epochs",
                    "1", "--lr", "1e-9", "--checkpoint-dir", dir.resolve("ck" + run).toString(), "-o", out.toString()));
            if (run == 1) {
                a.add("--bias-correction");
            }
            CliRun r = retrain(model, a.toArray(String[]::new));
            assertEquals(0, r.exit(), r.err());
            float[] after = OnnxImporter.load(out).graph().valuesByName().get("b2").constant().toFloatArray();
            for (int c = 0; c < after.length; c++) {
                moved[run] = Math.max(moved[run], Math.abs(after[c] - source[c]));
            }
            String recipe = OnnxImporter.load(out).metadata().get("cimq.retrain");
            assertEquals(run == 1, recipe.contains("biases corrected for the ADCs' mean error"), recipe);
        }
        assertTrue(moved[0] < 1e-6, "without the option the bias stays, moved " + moved[0]);
        assertTrue(moved[1] > 1e-3, "the correction moves the bias, moved " + moved[1]);
        CliRun plain = retrain(model, "-L", "2", "--quantizer", "mid-rise", "--hold-quantizer", "--epochs", "1", "--lr", "1e-9",
                "--checkpoint-dir", dir.resolve("ck1").toString(), "--resume", "-o", dir.resolve("x.onnx").toString());
        assertEquals(1, plain.exit());
        assertTrue(plain.err().contains("written for another model or other options"), plain.err());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }

    /** --optimizer adam: named in the model's recipe, and its checkpoint is not resumed by an SGD run (nor the reverse). */
    @Test
    void adamIsRecordedAndItsCheckpointIsNotResumedBySgd() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path model = TinyModels.cimNet(dir, true);
        Path ckpt = dir.resolve("ck");
        Path out = dir.resolve("adam.onnx");
        CliRun r = retrain(model, "-L", "3", "--epochs", "1", "--optimizer", "adam", "--lr", "0.003", "--checkpoint-dir",
                ckpt.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        String recipe = OnnxImporter.load(out).metadata().get("cimq.retrain");
        assertTrue(recipe.startsWith("optimizer adam, epochs 1"), recipe);
        CliRun sgd = retrain(model, "-L", "3", "--epochs", "1", "--lr", "0.003", "--checkpoint-dir", ckpt.toString(), "--resume", "-o",
                dir.resolve("x.onnx").toString());
        assertEquals(1, sgd.exit());
        assertTrue(sgd.err().contains("written for another model or other options"), sgd.err());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }

    @Test
    void annealingSplitsTheEpochsIntoStages() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path model = TinyModels.cimNet(dir, true);
        Path json = dir.resolve("a.json");
        CliRun r = retrain(model, "--epochs", "3", "--anneal", "7,3", "-o", dir.resolve("a.onnx").toString(), "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode report = JSON.readTree(json.toFile());
        List<Integer> levels = new java.util.ArrayList<>();
        report.get("epochs").forEach(e -> levels.add(e.get("levels").asInt()));
        assertEquals(List.of(7, 7, 3), levels);
        assertTrue(report.get("epochTests").isNull(), "no per-epoch tests unless asked");
        assertEquals(3, report.get("finalLevels").asInt());
        assertEquals(3, JSON.readTree(dir.resolve("a.ranges.json").toFile()).get("layers").get(0).get("levels").asInt());
    }

    @Test
    void badOptionsAreUsageErrors() throws Exception {
        Path model = TinyModels.cimNet(dir, true);
        String o = dir.resolve("x.onnx").toString();
        String[][] cases = {{"--epochs", "0", "-o", o}, {"--epochs", "1", "--lr", "0", "-o", o}, {"--epochs", "1", "--lr", "-0.1", "-o", o},
            {"--epochs", "2", "--anneal", "9,5,3", "-o", o}, {"--epochs", "1", "--resume", "-o", o},
            {"--epochs", "3", "--anneal", "9,5,3", "-L", "5", "-o", o}, {"--epochs", "1", "--anneal", "1", "-o", o},
            {"--epochs", "1", "--batch", "0", "-o", o}, {"--epochs", "1", "--optimizer", "rmsprop", "-o", o},
            {"--epochs", "1", "-L", "3", "--learn-steps", "--step-lr", "0", "-o", o},
            {"--epochs", "1", "--learn-input-scales", "--scale-lr", "-1", "-o", o},
            {"--epochs", "1", "--clip-grad-norm", "0", "-o", o}, {"--epochs", "1", "--batch-norm-start", "no-adc", "-o", o},
            {"--epochs", "1", "--hold-quantizer", "--train-batch-norm", "--batch-norm-start", "float", "-o", o}};
        for (String[] c : cases) {
            CliRun r = retrain(model, c);
            assertEquals(2, r.exit(), String.join(" ", c) + ": " + r.err());
        }
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }

    @Test
    void theArraysAndExactEnginesTrainAndABadBackwardIsAUsageError() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path model = TinyModels.cimNet(dir, true);
        for (String engine : List.of("arrays", "exact")) {
            Path json = dir.resolve(engine + ".json");
            Path out = dir.resolve(engine + ".onnx");
            CliRun r = retrain(model, "-L", "3", "--epochs", "1", "--backward", engine, "-o", out.toString(), "--json", json.toString());
            assertEquals(0, r.exit(), r.err());
            assertEquals(engine, JSON.readTree(json.toFile()).get("backward").asText());
            assertTrue(OnnxImporter.load(out).metadata().get("cimq.retrain").contains("backward " + engine));
        }
        CliRun bad = retrain(model, "-L", "3", "--epochs", "1", "--backward", "exactly", "-o", dir.resolve("b.onnx").toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--backward must be one of arrays, fake-quant, fake-quant-scaled, exact, got 'exactly'"), bad.err());
        assertFalse(Files.exists(dir.resolve("b.onnx")));
    }

    @Test
    void unsupportedSchemesAreRefusedByName() throws Exception {
        TinyImages.write(dir, 40, 10);
        Path model = TinyModels.cimNet(dir, true);
        CliRun r = retrain(model, "--epochs", "1", "-L", "3", "--weight-scheme", "offset", "-o", dir.resolve("x.onnx").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("weight_scheme offset is not supported by retraining"), r.err());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }
}
