package org.cimq.cim.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trainable tensors of a prepared model, by initializer name, in graph order: the float
 * constant weight and bias (Gemm's C) of every Conv, Gemm and MatMul. Updated in place by the
 * optimizer; {@link #writeTo} puts them back into a model.
 */
public final class Parameters {
    private static final List<String> LAYERS = List.of("Conv", "Gemm", "MatMul");
    private final Map<String, INDArray> values;

    private Parameters(Map<String, INDArray> values) {
        this.values = values;
    }

    /** Copies of the trainable tensors of {@code prepared}. */
    public static Parameters of(Model prepared) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Node n : prepared.graph().nodes()) {
            if (!n.domain().isEmpty() || !LAYERS.contains(n.opType())) {
                continue;
            }
            for (int i = 1; i < Math.min(3, n.inputs().size()); i++) {
                Value v = n.input(i);
                if (v != null && v.isConstant() && v.constant().dtype().isFloatingPoint() && !out.containsKey(v.name())) {
                    Tensor t = v.constant();
                    out.put(v.name(), Nd4j.create(t.toFloatArray(), t.shape().clone(), 'c'));
                }
            }
        }
        if (out.isEmpty()) {
            throw new TrainingException("the model has no Conv, Gemm or MatMul with a constant float weight: nothing to train");
        }
        return new Parameters(out);
    }

    /** Named tensors, e.g. from a checkpoint (the map is kept). */
    public static Parameters of(Map<String, INDArray> values) {
        return new Parameters(values);
    }

    public Map<String, INDArray> values() {
        return values;
    }

    public boolean isParameter(Value v) {
        return v != null && v.isConstant() && values.containsKey(v.name());
    }

    /** Replaces the constants of {@code m} named like the parameters by their current values. */
    public void writeTo(Model m) {
        Graph g = m.graph();
        Map<String, Value> byName = g.valuesByName();
        for (Map.Entry<String, INDArray> e : values.entrySet()) {
            Value v = byName.get(e.getKey());
            if (v == null || !v.isConstant()) {
                throw new TrainingException("the model has no constant '" + e.getKey() + "' to write the trained values into");
            }
            INDArray a = e.getValue();
            v.setConstant(Tensor.ofFloats(v.constant().shape().clone(), a.dup('c').data().asFloat()));
        }
    }

    /** Deep copies of the values. */
    public Parameters copy() {
        Map<String, INDArray> c = new LinkedHashMap<>();
        values.forEach((k, v) -> c.put(k, v.dup('c')));
        return new Parameters(c);
    }
}
