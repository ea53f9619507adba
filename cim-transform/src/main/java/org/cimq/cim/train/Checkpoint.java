package org.cimq.cim.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cimq.onnx.AtomicFiles;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything needed to continue training exactly: the position (the next step to run of
 * {@code epoch}; epoch = epochs when training is done), the weights, the optimizer's state
 * ({@link Optimizer#state()}: SGD's momentum buffers, Adam's moments and step count) and the mapped
 * layers' input scales and ADC steps of the current epoch. The random state is a function of (seed, epoch, step) ({@link DataOrder}); {@code fingerprint} holds the
 * options a resumed run must share. Binary, big-endian, written atomically.
 */
public record Checkpoint(String fingerprint, int epoch, int step, Map<String, INDArray> params, Map<String, INDArray> optimizerState,
                         Map<String, LayerQuant> quant) {
    private static final String MAGIC = "cimq-checkpoint";
    /** Version 2 adds per-array and per-column steps; version 1 files (one step per layer) are still read. */
    private static final int VERSION = 2;
    public static final String FILE = "checkpoint.bin";

    public void write(Path file) {
        try {
            AtomicFiles.write(file, raw -> {
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw));
                out.writeUTF(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(fingerprint);
                out.writeInt(epoch);
                out.writeInt(step);
                writeArrays(out, params);
                writeArrays(out, optimizerState);
                out.writeInt(quant.size());
                for (Map.Entry<String, LayerQuant> e : quant.entrySet()) {
                    LayerQuant q = e.getValue();
                    out.writeUTF(e.getKey());
                    out.writeFloat(q.inputScale());
                    out.writeInt(q.levels());
                    out.writeFloat(q.delta());
                    out.writeInt(q.rowStarts().length);
                    for (int s : q.rowStarts()) {
                        out.writeInt(s);
                    }
                    writeFinerSteps(out, q);
                }
                out.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the checkpoint: " + e.getMessage(), e);
        }
    }

    public static Checkpoint read(Path file) {
        try (InputStream raw = Files.newInputStream(file)) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(raw));
            if (!MAGIC.equals(in.readUTF())) {
                throw new TrainingException(file + ": not a cimq checkpoint (version " + VERSION + ")");
            }
            int version = in.readInt();
            if (version != 1 && version != VERSION) {
                throw new TrainingException(file + ": not a cimq checkpoint (version " + VERSION + ")");
            }
            String fp = in.readUTF();
            int epoch = in.readInt();
            int step = in.readInt();
            Map<String, INDArray> params = readArrays(in);
            Map<String, INDArray> optimizerState = readArrays(in);
            Map<String, LayerQuant> quant = new LinkedHashMap<>();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                float scale = in.readFloat();
                int levels = in.readInt();
                float delta = in.readFloat();
                int[] starts = new int[in.readInt()];
                for (int k = 0; k < starts.length; k++) {
                    starts[k] = in.readInt();
                }
                LayerQuant q = new LayerQuant(scale, levels, delta, starts);
                quant.put(name, version == 1 ? q : readFinerSteps(in, q));
            }
            return new Checkpoint(fp, epoch, step, params, optimizerState, quant);
        } catch (java.io.EOFException e) {
            throw new TrainingException(file + ": checkpoint is truncated");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the checkpoint: " + e.getMessage(), e);
        }
    }

    /** 0: one step; 1: per-array steps (count, values); 2: per-column steps (arrays, then per array slices, columns, values). */
    private static void writeFinerSteps(DataOutputStream out, LayerQuant q) throws IOException {
        if (q.arrayDeltas() != null) {
            out.writeByte(1);
            writeDoubles(out, q.arrayDeltas());
        } else if (q.columnDeltas() != null) {
            out.writeByte(2);
            out.writeInt(q.columnDeltas().length);
            for (double[][] array : q.columnDeltas()) {
                out.writeInt(array.length);
                for (double[] slice : array) {
                    writeDoubles(out, slice);
                }
            }
        } else {
            out.writeByte(0);
        }
    }

    private static LayerQuant readFinerSteps(DataInputStream in, LayerQuant q) throws IOException {
        int form = in.readByte();
        if (form == 0) {
            return q;
        }
        if (form == 1) {
            return new LayerQuant(q.inputScale(), q.levels(), q.delta(), q.rowStarts(), readDoubles(in), null);
        }
        if (form != 2) {
            throw new IOException("unknown step form " + form);
        }
        double[][][] columns = new double[in.readInt()][][];
        for (int t = 0; t < columns.length; t++) {
            columns[t] = new double[in.readInt()][];
            for (int j = 0; j < columns[t].length; j++) {
                columns[t][j] = readDoubles(in);
            }
        }
        return new LayerQuant(q.inputScale(), q.levels(), q.delta(), q.rowStarts(), null, columns);
    }

    private static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double d : v) {
            out.writeDouble(d);
        }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        double[] v = new double[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }

    private static void writeArrays(DataOutputStream out, Map<String, INDArray> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            out.writeUTF(e.getKey());
            long[] shape = e.getValue().shape();
            out.writeInt(shape.length);
            for (long s : shape) {
                out.writeLong(s);
            }
            for (float f : e.getValue().dup('c').data().asFloat()) {
                out.writeFloat(f);
            }
        }
    }

    private static Map<String, INDArray> readArrays(DataInputStream in) throws IOException {
        Map<String, INDArray> out = new LinkedHashMap<>();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            long[] shape = new long[in.readInt()];
            long numel = 1;
            for (int k = 0; k < shape.length; k++) {
                shape[k] = in.readLong();
                numel *= shape[k];
            }
            float[] v = new float[(int) numel];
            for (int k = 0; k < v.length; k++) {
                v[k] = in.readFloat();
            }
            out.put(name, Nd4j.create(v, shape, 'c'));
        }
        return out;
    }
}
