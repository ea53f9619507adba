package org.cimq.runtime.cim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The AVX-512 (VPOPCNTQ) twin of {@link OneBitAccumulate}, in C ({@code runtime/src/main/c/cimq_onebit.c},
 * built into the jar for linux-x86_64 when gcc is present): the same float32 operations in the
 * same order per output element, so the two are bit-identical (FusedLayerEquivalenceTest runs
 * both). It is used where the library loads and the CPU has AVX-512 F/VL/DQ/BW and VPOPCNTDQ,
 * unless {@link CimNative#setEnabled} turned it off or the system property
 * {@code cimq.native=false} is set; {@link CimNative#status()} says which loop runs and why.
 */
final class NativeOneBit {
    static final String RESOURCE = "/org/cimq/runtime/cim/native/linux-x86_64/libcimqonebit.so";
    static final java.util.concurrent.atomic.LongAdder BLOCKS = new java.util.concurrent.atomic.LongAdder();
    private static final String STATUS;
    private static final boolean LOADED;
    private static final int MAX_POSITIONS;
    private static final int MAX_PLANES;

    static {
        String status;
        boolean loaded = false;
        int maxPositions = 0;
        int maxPlanes = 0;
        if ("false".equals(System.getProperty("cimq.native"))) {
            status = "java (native kernel off: -Dcimq.native=false)";
        } else if (!System.getProperty("os.name", "").toLowerCase().startsWith("linux")
                || !System.getProperty("os.arch", "").equals("amd64")) {
            status = "java (no native kernel for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ")";
        } else {
            try (InputStream in = NativeOneBit.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    status = "java (native kernel not built into this jar: gcc was missing at build time)";
                } else {
                    Path lib = Files.createTempFile("cimq-onebit", ".so");
                    lib.toFile().deleteOnExit();
                    Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
                    System.load(lib.toAbsolutePath().toString());
                    if (supported0()) {
                        loaded = true;
                        maxPositions = maxPositions0();
                        maxPlanes = maxPlanes0();
                        status = "native avx512-vpopcntdq";
                    } else {
                        status = "java (this CPU lacks AVX-512 VPOPCNTDQ/VL/DQ/BW)";
                    }
                }
            } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
                status = "java (native kernel failed to load: " + e.getMessage() + ")";
            }
        }
        STATUS = status;
        LOADED = loaded;
        MAX_POSITIONS = maxPositions;
        MAX_PLANES = maxPlanes;
    }

    private NativeOneBit() {
    }

    static boolean loaded() {
        return LOADED;
    }

    static String status() {
        return STATUS;
    }

    /** Whether a block of {@code count} positions with {@code planes} planes fits the native loop's buffers. */
    static boolean fits(int count, int planes, int words) {
        return LOADED && count <= MAX_POSITIONS && planes <= MAX_PLANES && (words == 1 || words == 2);
    }

    /** {@link OneBitAccumulate#run} without the zero-plane lists (dense positions; the same sums). */
    static void run(long[] a, int count, int words, int rows, TileMasks m, int first, int perGroup, int slices, int planes, AdcTables tb,
                    int channels, float[] alpha, float[] out, int[] outBase, int stride) {
        // the C loop trusts its indices: check every array bound it will touch
        int perPos = planes * words;
        int lastOffset = (first + perGroup - 1) * stride;
        int maxBase = 0;
        int minBase = Integer.MAX_VALUE;
        for (int pc = 0; pc < count; pc++) {
            maxBase = Math.max(maxBase, outBase[pc]);
            minBase = Math.min(minBase, outBase[pc]);
        }
        if (!fits(count, planes, words) || count < 1 || perGroup < 1 || a.length < count * perPos || outBase.length < count
                || minBase + first * stride < 0 || (long) maxBase + lastOffset >= out.length
                || rows < 1 || rows > 64 * words || m.words != words || m.magnitudeBits != 1 || m.masks.length < perGroup * slices * 2 * words
                || alpha.length < slices * planes || tb.zero.length < slices * channels || first + perGroup > channels) {
            throw new IllegalArgumentException("native one-bit loop called outside its bounds");
        }
        int span = rows;
        for (int j = 0; j < slices; j++) {
            for (int nl = 0; nl < perGroup; nl++) {
                int z = tb.zero[j * channels + first + nl];
                if (z - span < 0 || z + span >= tb.values.length) {
                    throw new IllegalArgumentException("native one-bit loop: ADC table too short for " + span + " rows");
                }
            }
        }
        BLOCKS.increment();
        accumulate0(a, count, words, planes, m.masks, perGroup, slices, tb.values, tb.zero, first, channels, alpha, out,
                outBase, stride);
    }

    private static native boolean supported0();

    private static native int maxPositions0();

    private static native int maxPlanes0();

    private static native void accumulate0(long[] a, int count, int words, int planes, long[] masks, int perGroup, int slices,
                                           float[] table, int[] zero, int first, int channels, float[] alpha, float[] out,
                                           int[] outBase, int stride);
}
