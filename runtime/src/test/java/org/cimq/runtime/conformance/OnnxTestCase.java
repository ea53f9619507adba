package org.cimq.runtime.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cimq.ir.Tensor;
import org.cimq.onnx.TensorFiles;

/** One case of ONNX's backend test data: a model folder with test_data_set_N/{input,output}_K.pb. */
record OnnxTestCase(String suite, String name, Path model, List<DataSet> dataSets) {
    /** The inputs and expected outputs of one data set, in index order. */
    record DataSet(List<Tensor> inputs, List<Tensor> outputs) { }

    static OnnxTestCase read(String suite, Path dir) throws IOException {
        List<DataSet> sets = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path d : s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList()) {
                sets.add(new DataSet(readAll(d, "input_"), readAll(d, "output_")));
            }
        }
        return new OnnxTestCase(suite, dir.getFileName().toString(), dir.resolve("model.onnx"), sets);
    }

    private static List<Tensor> readAll(Path dir, String prefix) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; Files.exists(dir.resolve(prefix + i + ".pb")); i++) {
            out.add(TensorFiles.read(dir.resolve(prefix + i + ".pb")));
        }
        return out;
    }

    String id() {
        return suite + "/" + name;
    }
}
