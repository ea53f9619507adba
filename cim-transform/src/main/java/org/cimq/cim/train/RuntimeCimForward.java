package org.cimq.cim.train;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.CimModelBuilder;
import org.cimq.cim.MappedLayer;
import org.cimq.cim.calib.InputCalibration;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Value;
import org.cimq.runtime.Executor;
import org.cimq.runtime.cim.CimLayerFusion;
import org.cimq.runtime.cim.InputMode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward pass of training as cimq's runtime computes it: the CIM model of the current
 * weights (transformed by {@link CimModelBuilder#transformed} with the layers' input scales and
 * ADC steps from {@link LayerQuant}, then {@link CimLayerFusion}, so every mapped layer runs on the
 * bit-packed kernel, bit-identical to the reference kernels), run on a batch. Returns the logits
 * and the output of every mapped layer (after its output scale and bias), by the output value
 * name of the prepared model: each mapped layer's output is made a graph output of a private copy
 * before the transform, which keeps its name. The model is rebuilt at each call, since the weights
 * change at every step.
 */
public final class RuntimeCimForward {
    /**
     * The logits (the model's first output), the mapped layers' outputs by value name (graph order), and
     * copies of the other values asked for, by name.
     */
    public record Result(INDArray logits, Map<String, INDArray> layerOutputs, Map<String, INDArray> values,
                         Map<String, INDArray[]> probes) { }

    private final Model probed;
    private final CimConfig cfg;
    private final boolean stepProbes;
    private final List<MappedLayer> layers;
    private final List<String> outputs;
    private final String logits;
    private final String input;

    /** @param layers the mapped layers of {@code prepared} ({@code cfg}'s selection) */
    public RuntimeCimForward(Model prepared, CimConfig cfg, List<MappedLayer> layers) {
        this(prepared, cfg, layers, false);
    }

    /**
     * @param stepProbes also evaluate every mapped layer's two {@link StepProbes} (for learning ADC steps); their
     *                   outputs come back in {@link Result#probes()}
     */
    RuntimeCimForward(Model prepared, CimConfig cfg, List<MappedLayer> layers, boolean stepProbes) {
        this.probed = CimModelBuilder.copy(prepared);
        this.stepProbes = stepProbes;
        this.layers = layers;
        Graph g = probed.graph();
        this.logits = g.outputs().get(0).name();
        this.input = g.inputs().get(0).name();
        Map<String, Value> byName = g.valuesByName();
        this.outputs = layers.stream().map(l -> l.node().output(0).name()).toList();
        for (String name : outputs) {
            Value v = byName.get(name);
            if (v == null) {
                throw new TrainingException("mapped layer output '" + name + "' is missing from the copy of the model");
            }
            if (!g.isGraphOutput(v)) {
                g.outputs().add(v);
            }
        }
        this.cfg = stepProbes ? StepProbes.addTo(probed, cfg, layers) : cfg;
    }

    /** The mapped layers' output value names, graph order. */
    public List<String> layerOutputNames() {
        return outputs;
    }

    /** The model's input name. */
    public String inputName() {
        return input;
    }

    /** Runs the CIM model of {@code params} with {@code quant} on {@code images}. */
    public Result run(Parameters params, Map<String, LayerQuant> quant, INDArray images) {
        return run(params, quant, images, Set.of());
    }

    /**
     * As {@link #run(Parameters, Map, INDArray)}, also keeping a copy of every computed value named in
     * {@code keep} (copied when computed: the runtime may later overwrite a dead value in place).
     */
    public Result run(Parameters params, Map<String, LayerQuant> quant, INDArray images, Set<String> keep) {
        Executor ex = new Executor(model(params, quant));
        Map<String, INDArray> kept = new HashMap<>();
        Map<String, INDArray> out = ex.run(Map.of(input, images), (v, a) -> {
            if (keep.contains(v.name())) {
                kept.put(v.name(), a.dup());
            }
        });
        Map<String, INDArray> layerOut = new LinkedHashMap<>();
        Map<String, INDArray[]> probes = new LinkedHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            String name = outputs.get(i);
            layerOut.put(name, out.get(name));
            if (stepProbes) {
                probes.put(layers.get(i).name(), new INDArray[] {out.get(name + StepProbes.CLAMP), out.get(name + StepProbes.SIGN)});
            }
        }
        return new Result(out.get(logits), layerOut, kept, probes);
    }

    /** The fused CIM model of {@code params} with {@code quant}, as {@link #run} runs it. */
    public Model model(Parameters params, Map<String, LayerQuant> quant) {
        params.writeTo(probed);
        Map<String, InputCalibration.LayerInput> inputs = new LinkedHashMap<>();
        Map<String, AdcSetting> adc = new LinkedHashMap<>();
        for (MappedLayer l : layers) {
            LayerQuant q = quant.get(l.name());
            if (q == null) {
                throw new TrainingException(l.node().describe() + ": no input scale or ADC step for this mapped layer");
            }
            InputCalibration.LayerInput in = new InputCalibration.LayerInput(InputMode.UNSIGNED, q.inputScale(), null);
            inputs.put(l.name(), in);
            adc.put(l.name(), q.adc(cfg.quantizer()));
            if (stepProbes) {
                AdcSetting[] p = StepProbes.settings(q.levels(), q.delta());
                inputs.put(l.name() + StepProbes.CLAMP, in);
                inputs.put(l.name() + StepProbes.SIGN, in);
                adc.put(l.name() + StepProbes.CLAMP, p[0]);
                adc.put(l.name() + StepProbes.SIGN, p[1]);
            }
        }
        Model m = new CimModelBuilder(cfg).transformed(probed, inputs, adc).model();
        new CimLayerFusion().run(m);
        return m;
    }
}
