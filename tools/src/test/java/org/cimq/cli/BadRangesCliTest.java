package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ranges files that do not match the model or the configuration, through {@code cimq transform
 * --ranges}: exit 1, one line naming the file and the layer or field, and no output model.
 * The model is {@link TinyModels#cimNet} with every layer mapped: conv1 (K = 9), conv2 (K = 36,
 * 3 arrays of 16 rows) and gemm (K = 144, 9 arrays).
 */
class BadRangesCliTest {
    @TempDir
    Path dir;

    private static String file(String granularity, String layers) {
        return "{\"format\": \"cimq-ranges\", \"version\": 1, \"method\": \"test\", \"granularity\": \"" + granularity
                + "\", \"quantizer\": \"zero-tread\", \"layers\": [" + layers + "]}";
    }

    private static String layer(String node, String delta) {
        return "{\"node\": \"" + node + "\", \"levels\": 5, " + delta + "}";
    }

    private static String all(String conv1, String conv2, String gemm) {
        return String.join(", ", layer("conv1", conv1), layer("conv2", conv2), layer("gemm", gemm));
    }

    static Stream<Arguments> badRanges() {
        String d = "\"delta\": 4.0";
        return Stream.of(
                Arguments.of("unknown layer", "layer", file("layer", all(d, d, d) + ", " + layer("/nope/Conv", d)), "'/nope/Conv'"),
                Arguments.of("missing layer", "layer", file("layer", String.join(", ", layer("conv1", d), layer("gemm", d))), "'conv2'"),
                Arguments.of("negative delta", "layer", file("layer", all(d, "\"delta\": -2.0", d)), "delta"),
                Arguments.of("zero delta", "layer", file("layer", all(d, "\"delta\": 0", d)), "delta"),
                Arguments.of("delta not a number", "layer", file("layer", all(d, "\"delta\": \"big\"", d)), "delta"),
                Arguments.of("two deltas for three arrays", "array",
                        file("array", all("\"deltas\": [1.0]", "\"deltas\": [1.0, 2.0]", "\"deltas\": [1,1,1,1,1,1,1,1,1]")), "conv2"),
                Arguments.of("negative array delta", "array",
                        file("array", all("\"deltas\": [1.0]", "\"deltas\": [1.0, -2.0, 3.0]", "\"deltas\": [1,1,1,1,1,1,1,1,1]")), "conv2"),
                Arguments.of("granularity differs from the configuration", "layer",
                        file("array", all("\"deltas\": [1.0]", "\"deltas\": [1.0, 2.0, 3.0]", "\"deltas\": [1,1,1,1,1,1,1,1,1]")),
                        "granularity"),
                Arguments.of("levels 1", "layer", file("layer", all(d, d, d)).replaceFirst("\"levels\": 5", "\"levels\": 1"), "levels"),
                Arguments.of("unknown layer field", "layer", file("layer", all(d, d, d + ", \"offset\": 3")), "offset"),
                Arguments.of("found for other rows", "layer",
                        file("layer", all(d, d, d)).replace("\"layers\"", "\"cim\": {\"rows\": 32}, \"layers\""),
                        "cim.rows: the ranges were found for 32, the configuration has 16"),
                Arguments.of("found for another mapping", "layer",
                        file("layer", all(d, d, d)).replace("\"layers\"", "\"cim\": {\"rows\": 16, \"mapping\": \"balanced\"}, \"layers\""),
                        "cim.mapping: the ranges were found for balanced, the configuration has flat"),
                Arguments.of("not the ranges format", "layer", "{\"format\": \"something-else\"}", "format"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRanges")
    void mismatchedRangesFailNamingTheFile(String name, String granularity, String json, String mustContain) throws Exception {
        TinyImages.write(dir, 30, 5);
        Path model = TinyModels.cimNet(dir, true);
        Path ranges = dir.resolve("bad-ranges.json");
        Files.writeString(ranges, json);
        Path out = dir.resolve("cim.onnx");
        CliRun r = CliRun.of("transform", model.toString(), "--dataset", "fashion-mnist", "--data", dir.toString(),
                "--calib-images", "20", "-q", "--rows", "16", "-L", "5", "--granularity", granularity, "--digital-layers=",
                "--ranges", ranges.toString(), "-o", out.toString());
        BadConfigCliTest.assertOneLine(r, 1, mustContain);
        assertTrue(r.err().contains(ranges.toString()), r.err());
        assertFalse(Files.exists(out), "no output model may be written");
    }
}
