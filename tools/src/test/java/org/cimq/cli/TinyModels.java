package org.cimq.cli;

import java.nio.file.Path;
import java.util.List;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.onnx.OnnxWriter;

/** Models built in code that need no kernels, so the CLI can run them end to end. */
final class TinyModels {
    private TinyModels() {
    }

    /** output = input, input float[batch, c, h, w]: the argmax of the output is the brightest pixel. */
    static Path passThrough(Path dir, int c, int h, int w) throws Exception {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("image", new TensorType(DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(c), Dim.of(h), Dim.of(w))));
        b.output(x);
        Path file = dir.resolve("pass_" + c + "x" + h + "x" + w + ".onnx");
        OnnxWriter.write(b.build(), file);
        return file;
    }

    /** A model whose only node is an op cimq has no kernel for (Erf). */
    static Path unsupportedOp(Path dir) throws Exception {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("image", new TensorType(DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(1), Dim.of(2), Dim.of(3))));
        b.output(b.op("Erf", x), "y", null);
        Path file = dir.resolve("erf.onnx");
        OnnxWriter.write(b.build(), file);
        return file;
    }
}
