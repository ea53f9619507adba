package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cimq.ir.IrException;
import org.cimq.onnx.OnnxImporter;
import org.cimq.runtime.ModelLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file of the {@link HostileModels} corpus is refused within 5 s, by {@code cimq inspect}
 * (exit 1, one stderr line naming the file, no stack trace) and by the library (an
 * {@link IrException} from OnnxImporter or ModelLoader.prepare), and nothing is written.
 */
class HostileModelsTest {
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final ConcurrentHashMap<String, Long> MILLIS = new ConcurrentHashMap<>();

    @TempDir
    static Path root;

    private static Path corpusDir;
    private static List<HostileModels.Case> corpus;

    @BeforeAll
    static void generate() throws IOException {
        corpusDir = Files.createDirectories(root.resolve("corpus"));
        corpus = HostileModels.generate(corpusDir);
        // load ND4J once, so that its start-up is not charged to the first case
        Path ok = root.resolve("valid.onnx");
        Files.write(ok, HostileModels.valid().toByteArray());
        ModelLoader.prepare(OnnxImporter.load(ok));
        Files.delete(ok);
    }

    @AfterAll
    static void report() {
        MILLIS.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).ifPresent(e ->
                System.out.printf("hostile corpus: %d files, slowest rejection %d ms (%s)%n", corpus.size(), e.getValue(), e.getKey()));
    }

    @TestFactory
    Stream<DynamicTest> corpusHasAtLeastFiftyFiles() {
        return Stream.of(DynamicTest.dynamicTest("size", () -> assertTrue(corpus.size() >= 50, "corpus has " + corpus.size())));
    }

    @TestFactory
    Stream<DynamicTest> inspectRefusesEachFileWithOneLine() {
        return corpus.stream().map(c -> DynamicTest.dynamicTest("cli " + c.name(), () -> {
            Set<String> before = tree();
            CliRun r = timed("cli " + c.name(), () -> CliRun.of("inspect", c.file().toString()));
            assertEquals(1, r.exit(), c.name() + ": stdout " + r.out() + " stderr " + r.err());
            List<String> lines = r.err().lines().toList();
            assertEquals(1, lines.size(), c.name() + ": stderr has " + lines.size() + " lines: " + abbreviate(r.err()));
            String line = lines.get(0);
            assertTrue(line.startsWith("cimq: error: "), line);
            assertTrue(line.contains(c.file().getFileName().toString()), c.name() + ": the line does not name the file: " + line);
            assertTrue(line.length() < 600, c.name() + ": a " + line.length() + "-character line: " + abbreviate(line));
            assertFalse(line.contains("Exception") || line.contains("Error:") || line.contains("\tat "), line);
            assertEquals(before, tree(), c.name() + ": files were written");
        }));
    }

    @TestFactory
    Stream<DynamicTest> libraryThrowsATypedException() {
        return corpus.stream().map(c -> DynamicTest.dynamicTest("api " + c.name(), () -> {
            Set<String> before = tree();
            IrException e = timed("api " + c.name(), () ->
                    assertThrows(IrException.class, () -> ModelLoader.prepare(OnnxImporter.load(c.file())), c.name()));
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), c.name());
            assertEquals(before, tree(), c.name() + ": files were written");
        }));
    }

    private static <T> T timed(String name, org.junit.jupiter.api.function.ThrowingSupplier<T> body) {
        long t0 = System.nanoTime();
        T result = assertTimeoutPreemptively(BOUND, body, name + " took longer than " + BOUND);
        MILLIS.put(name, (System.nanoTime() - t0) / 1_000_000);
        return result;
    }

    private static Set<String> tree() {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(Path::toString).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "...";
    }
}
