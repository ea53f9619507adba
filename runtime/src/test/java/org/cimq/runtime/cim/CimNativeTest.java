package org.cimq.runtime.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The native one-bit loop ({@link NativeOneBit}) against the Java loop ({@link OneBitAccumulate}):
 * loaded wherever this machine can run it (so a build that lost the library fails here), and
 * bit-identical on random blocks (one and two words, partial blocks, zero planes, zero-tread and
 * mid-rise tables, several steps per array), and refusing calls outside its bounds.
 */
class CimNativeTest {
    private static final List<String> FLAGS = List.of("avx512f", "avx512vl", "avx512dq", "avx512bw", "avx512_vpopcntdq");

    /** Whether this machine is one the native loop is built and meant for. */
    private static boolean nativeMachine() throws IOException {
        if (!System.getProperty("os.name").toLowerCase().startsWith("linux") || !System.getProperty("os.arch").equals("amd64")) {
            return false;
        }
        String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags")).findFirst()
                .orElse("");
        List<String> have = Arrays.asList(flags.substring(flags.indexOf(':') + 1).trim().split("\\s+"));
        return have.containsAll(FLAGS);
    }

    @Test
    void theNativeLoopIsLoadedWhereTheCpuSupportsItElseTheStatusSaysWhy() throws IOException {
        if (nativeMachine()) {
            assertTrue(CimNative.available(), "AVX-512 VPOPCNTDQ machine but: " + CimNative.status());
            assertEquals("native avx512-vpopcntdq", CimNative.status());
        } else {
            assertTrue(!CimNative.available() && CimNative.status().startsWith("java ("), CimNative.status());
        }
    }

    @Test
    void nativeAndJavaLoopsAreBitIdentical() throws IOException {
        if (!nativeMachine()) {
            // nothing native to compare on this machine: the Java loop is the only one, and it must be the one in use
            assertTrue(!CimNative.active(), CimNative.status());
            return;
        }
        Random r = new Random(7);
        int blocks = 0;
        for (int rows : new int[] {128, 100, 64, 33, 7}) {
            for (int count : new int[] {32, 13, 1, 64}) {
                for (boolean midRise : new boolean[] {false, true}) {
                    for (int planes : new int[] {4, 8}) {
                        compare(r, rows, count, planes, midRise);
                        blocks++;
                    }
                }
            }
        }
        assertEquals(80, blocks);
    }

    private static void compare(Random r, int rows, int count, int planes, boolean midRise) {
        int slices = 3;
        int channels = 6;
        int first = 2;
        int perGroup = 3;
        TileRows tile = TileRows.matmul(0, rows);
        int words = tile.words();
        TileMasks m = TileMasks.of(tile, first, perGroup, slices, 1, (j, n, seg, c) -> r.nextInt(3) - 1);
        float[] steps = new float[slices * channels];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = new float[] {1f, 2.5f, 3.3f, 0.7f}[r.nextInt(4)];
        }
        AdcTables tb = AdcTables.of(midRise ? 4 : 5, steps, midRise, rows);
        long[] a = new long[count * planes * words];
        for (int pc = 0; pc < count; pc++) {
            for (int i = 0; i < planes; i++) {
                if (r.nextInt(3) == 0) {
                    continue; // an all-zero plane
                }
                for (int w = 0; w < words; w++) {
                    int bits = Math.min(64, rows - 64 * w);
                    long mask = bits == 64 ? -1L : (1L << bits) - 1;
                    a[(pc * planes + i) * words + w] = r.nextLong() & r.nextLong() & mask;
                }
            }
        }
        float[] alpha = new float[slices * planes];
        for (int i = 0; i < alpha.length; i++) {
            alpha[i] = (float) (Math.scalb(1.0, i % planes) * (1 + r.nextInt(3)) / 3.0);
        }
        int stride = count + 3;
        int[] outBase = new int[count];
        for (int pc = 0; pc < count; pc++) {
            outBase[pc] = pc + (pc >= count / 2 ? 2 : 0); // distinct, as positions of one block are
        }
        float[] start = new float[channels * stride + 2];
        for (int i = 0; i < start.length; i++) {
            start[i] = r.nextInt(4) == 0 ? 0f : (float) r.nextGaussian();
        }
        float[] java = start.clone();
        float[] nat = start.clone();
        OneBitAccumulate.Block plan = new OneBitAccumulate.Block(planes, count);
        plan.plan(a, count, planes, words);
        OneBitAccumulate.run(a, count, words, plan, m, first, perGroup, slices, planes, tb, channels, alpha, java, outBase, stride);
        NativeOneBit.run(a, count, words, rows, m, first, perGroup, slices, planes, tb, channels, alpha, nat, outBase, stride);
        String what = "rows " + rows + ", count " + count + ", planes " + planes + (midRise ? ", mid-rise" : "");
        assertArrayEquals(java, nat, what);
        assertTrue(!Arrays.equals(start, java), what + ": the block changed nothing");
    }

    @Test
    void callsOutsideTheBuffersAreRefusedNotRun() throws IOException {
        if (!nativeMachine()) {
            assertTrue(!NativeOneBit.loaded(), NativeOneBit.status());
            return;
        }
        TileRows tile = TileRows.matmul(0, 70);
        TileMasks m = TileMasks.of(tile, 0, 2, 1, 1, (j, n, seg, c) -> 1);
        AdcTables tb = AdcTables.of(3, new float[] {1f, 1f}, false, 70);
        long[] a = new long[4 * 2];
        float[] out = new float[8];
        assertThrows(IllegalArgumentException.class, () -> NativeOneBit.run(a, 4, 2, 70, m, 0, 2, 1, 1, tb, 2, new float[] {1f},
                out, new int[] {0, 1, 2, 7}, 1), "an output index past the end");
        assertThrows(IllegalArgumentException.class, () -> NativeOneBit.run(a, 65, 2, 70, m, 0, 2, 1, 1, tb, 2, new float[] {1f},
                new float[200], new int[65], 1), "more positions than the native buffers");
        AdcTables small = AdcTables.of(3, new float[] {1f, 1f}, false, 10);
        assertThrows(IllegalArgumentException.class, () -> NativeOneBit.run(a, 4, 2, 70, m, 0, 2, 1, 1, small, 2,
                new float[] {1f}, out, new int[] {0, 1, 2, 3}, 1), "a table shorter than the tile's partial sums");
    }
}
