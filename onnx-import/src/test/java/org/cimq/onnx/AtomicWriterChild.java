package org.cimq.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The child process of {@link AtomicFilesKillTest}: writes {@code TARGET} again and again through
 * {@link AtomicFiles}, generation g filled with the byte g (mod 251) over {@code MIB} MiB, and
 * reports on stdout "begin g" once the first MiB of generation g is in the temporary file and
 * "done g" once it is in place. It runs until killed.
 */
public final class AtomicWriterChild {
    private AtomicWriterChild() {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        int mib = Integer.parseInt(args[1]);
        byte[] chunk = new byte[1 << 20];
        for (int g = 1; ; g++) {
            int gen = g;
            Arrays.fill(chunk, (byte) (gen % 251));
            AtomicFiles.write(target, out -> {
                for (int i = 0; i < mib; i++) {
                    out.write(chunk);
                    if (i == 0) {
                        out.flush();
                        System.out.println("begin " + gen);
                        System.out.flush();
                    }
                }
            });
            System.out.println("done " + gen);
            System.out.flush();
        }
    }
}
