package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cimq.data.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataset folders with missing files, wrong sizes or labels out of range, through {@code cimq
 * eval}: exit 1 and one stderr line naming the file (exit 2 for a data set cimq does not know).
 */
class BadDataCliTest {
    @TempDir
    Path dir;

    private CliRun eval(String dataset, Path model, Path data) {
        return CliRun.of("eval", model.toString(), "--dataset", dataset, "--data", data.toString(), "-q");
    }

    private Path fashionModel() throws Exception {
        return TinyModels.passThrough(dir, 1, 2, 3);
    }

    private Path fashionData(String name, int n) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        TestFiles.writeArgmaxImages(d, "", new int[n]);
        return d;
    }

    @Test
    void fashionMnistMissingFolder() throws Exception {
        Path missing = dir.resolve("nowhere");
        BadConfigCliTest.assertOneLine(eval("fashion-mnist", fashionModel(), missing), 1, missing + ": no such folder");
    }

    @Test
    void fashionMnistMissingLabels() throws Exception {
        Path d = fashionData("nolabels", 3);
        Files.delete(d.resolve("t10k-labels-idx1-ubyte"));
        BadConfigCliTest.assertOneLine(eval("fashion-mnist", fashionModel(), d), 1, "t10k-labels-idx1-ubyte");
    }

    @Test
    void fashionMnistImagesShorterThanTheirHeader() throws Exception {
        Path d = fashionData("short", 3);
        Path images = d.resolve("t10k-images-idx3-ubyte");
        byte[] b = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(b, b.length - 5));
        BadConfigCliTest.assertOneLine(eval("fashion-mnist", fashionModel(), d), 1, images + ": ");
    }

    @Test
    void fashionMnistLabelOutOfRange() throws Exception {
        Path d = fashionData("label", 3);
        Path labels = d.resolve("t10k-labels-idx1-ubyte");
        TestFiles.write(labels, TestFiles.idx(0x801, new int[] {3}, new byte[] {0, 10, 0}));
        BadConfigCliTest.assertOneLine(eval("fashion-mnist", fashionModel(), d), 1, labels + ": image 1 has label 10, expected 0-9");
    }

    @Test
    void fashionMnistCountsDiffer() throws Exception {
        Path d = fashionData("counts", 3);
        TestFiles.write(d.resolve("t10k-labels-idx1-ubyte"), TestFiles.idx(0x801, new int[] {2}, new byte[] {0, 0}));
        BadConfigCliTest.assertOneLine(eval("fashion-mnist", fashionModel(), d), 1, "3 images but");
    }

    @Test
    void fashionMnistWrongMagic() throws Exception {
        Path d = fashionData("magic", 3);
        Path images = d.resolve("t10k-images-idx3-ubyte");
        TestFiles.write(images, TestFiles.idx(0x801, new int[] {18}, new byte[18]));
        BadConfigCliTest.assertOneLine(eval("fashion-mnist", fashionModel(), d), 1, images + ": idx magic");
    }

    @Test
    void cifarMissingTestBatch() throws Exception {
        Path d = Files.createDirectories(dir.resolve("cifar-empty"));
        BadConfigCliTest.assertOneLine(eval("cifar10", TinyModels.passThrough(dir, 3, 32, 32), d), 1, "test_batch.bin: no such file");
    }

    @Test
    void cifarBatchOfTheWrongSize() throws Exception {
        Path d = Files.createDirectories(dir.resolve("cifar-size"));
        Path batch = d.resolve("test_batch.bin");
        Files.write(batch, new byte[3000]);
        BadConfigCliTest.assertOneLine(eval("cifar10", TinyModels.passThrough(dir, 3, 32, 32), d), 1,
                batch + ": 3000 bytes is not a positive multiple of the 3073-byte CIFAR-10 record");
    }

    @Test
    void cifarLabelOutOfRange() throws Exception {
        Path d = Files.createDirectories(dir.resolve("cifar-label"));
        Path batch = d.resolve("test_batch.bin");
        TestFiles.write(batch, TestFiles.cifarRecord(3, 0, 0, 0), TestFiles.cifarRecord(12, 0, 0, 0));
        BadConfigCliTest.assertOneLine(eval("cifar10", TinyModels.passThrough(dir, 3, 32, 32), d), 1,
                batch + ": image 1 has label 12, expected 0-9");
    }

    @Test
    void calibrationReadsTheTrainSplitAndNamesItsMissingFile() throws Exception {
        Path d = fashionData("notrain", 3);
        CliRun r = CliRun.of("eval", TinyModels.cimNet(dir, true).toString(), "--dataset", "fashion-mnist", "--data", d.toString(),
                "--cim", "-q");
        BadConfigCliTest.assertOneLine(r, 1, "train-images-idx3-ubyte");
    }

    @Test
    void unknownDatasetIsAUsageError() throws Exception {
        CliRun r = CliRun.of("eval", fashionModel().toString(), "--dataset", "imagenet", "--data", dir.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--dataset") && r.err().contains("imagenet"), r.err());
    }
}
