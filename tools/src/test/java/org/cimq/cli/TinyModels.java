package org.cimq.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Tensor;
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

    /**
     * x[batch,1,8,8] → Relu → conv1 (1→4, 3x3, pad 1) → Relu → conv2 (4→4, 3x3) → Relu → Flatten →
     * gemm (144→10), weights from a fixed seed. Without the first Relu, conv1 reads the signed image.
     */
    static Path cimNet(Path dir, boolean reluFirst) throws Exception {
        Random rnd = new Random(42);
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("image", new TensorType(DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(1), Dim.of(8), Dim.of(8))));
        Value h = reluFirst ? b.op("Relu", x) : x;
        h = named(b.op("Conv", Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1)), h, b.constant("w1", random(rnd, 4, 1, 3, 3)),
                b.constant("b1", random(rnd, 4))), "conv1");
        h = named(b.op("Conv", b.op("Relu", h), b.constant("w2", random(rnd, 4, 4, 3, 3)), b.constant("b2", random(rnd, 4))),
                "conv2");
        h = b.op("Flatten", b.op("Relu", h));
        h = named(b.op("Gemm", Map.of("transB", new Attr.IntAttr(1)), h, b.constant("w3", random(rnd, 10, 144)),
                b.constant("b3", random(rnd, 10))), "gemm");
        b.output(h, "logits", null);
        Path file = dir.resolve(reluFirst ? "cimnet.onnx" : "cimnet_signed.onnx");
        OnnxWriter.write(b.build(), file);
        return file;
    }

    private static Value named(Value v, String name) {
        v.producer().setName(name);
        return v;
    }

    private static Tensor random(Random rnd, long... shape) {
        float[] v = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian() * 0.3f;
        }
        return Tensor.ofFloats(shape, v);
    }
}
