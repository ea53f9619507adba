package org.cimq.cim;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.cimq.cim.calib.InputCalibration;
import org.cimq.cim.calib.LayerHistograms;
import org.cimq.cim.calib.PartialSumHistograms;
import org.cimq.cim.calib.RangeSearch;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Granularity;
import org.cimq.cim.config.LayerRange;
import org.cimq.cim.config.Ranges;
import org.cimq.ir.Model;
import org.cimq.ir.shapes.ShapeInference;
import org.cimq.onnx.OnnxImporter;
import org.cimq.onnx.OnnxWriter;
import org.cimq.runtime.cim.InputMode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The whole CIM flow for one model: choose the mapped layers, calibrate their input scales on
 * calibration images (layers reading a QDQ pair take the model's scale instead, {@link LayerInputs}), pick ADC steps (given, or the minmax baseline measured on an L = 0 CIM
 * copy), and transform a copy of the model. The source model is not changed.
 */
public final class CimModelBuilder {
    /** The transformed model and what went into it, per mapped layer (graph order). */
    public record Result(Model model, List<MappedLayer> layers, Map<String, TilePlan> plans,
                         Map<String, InputCalibration.LayerInput> inputs, Map<String, AdcSetting> adc) { }

    private final CimConfig cfg;

    public CimModelBuilder(CimConfig cfg) {
        this.cfg = cfg;
    }

    /**
     * @param prepared a cleaned-up float model ({@code ModelLoader.prepare}) or QDQ model ({@link QdqPreparation})
     * @param calib    a fresh iterator over the calibration batches at each call
     * @param images   images in one pass of {@code calib}
     * @param steps    ADC settings by layer name, or null for the minmax baseline at cfg's L
     */
    public Result build(Model prepared, Supplier<Iterator<INDArray>> calib, long images, Map<String, AdcSetting> steps,
                        IntConsumer progress) {
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(prepared.graph()), cfg.digitalLayers());
        Map<String, InputCalibration.LayerInput> inputs = LayerInputs.of(prepared, layers, cfg, calib.get(), images, progress);
        Map<String, AdcSetting> adc = new LinkedHashMap<>();
        if (cfg.adcLevels() == 0) {
            layers.forEach(l -> adc.put(l.name(), AdcSetting.NONE));
        } else if (steps != null) {
            adc.putAll(steps);
        } else {
            // the largest |partial sum| from the fused kernels' partial-sum counts: the reference kernels would hold
            // every partial sum of a batch at once (2.2 GB for ResNet-20 at batch 100) and run 6x slower
            Model plain = transformed(prepared, inputs, Map.of()).model();
            Map<String, LayerHistograms> h = PartialSumHistograms.run(plain, calib.get(), RangeCalibration.histogramBound(cfg),
                    cfg.granularity() == Granularity.COLUMN, progress);
            adc.putAll(RangeSearch.run(h, RangeSearch.Method.MINMAX, cfg.granularity(), cfg.adcLevels(), cfg.quantizer(), false));
        }
        Result r = transformed(prepared, inputs, adc);
        return new Result(r.model(), r.layers(), r.plans(), inputs, adc);
    }

    /** As {@link #build} with the ADC steps of a ranges file ({@code file} names it in errors). */
    public Result build(Model prepared, Supplier<Iterator<INDArray>> calib, long images, Ranges ranges, String file,
                        IntConsumer progress) {
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(prepared.graph()), cfg.digitalLayers());
        Map<String, InputCalibration.LayerInput> inputs = withFileScales(
                LayerInputs.of(prepared, layers, cfg, calib.get(), images, progress), ranges, file);
        Result plain = transformed(prepared, inputs, Map.of());
        Map<String, AdcSetting> adc = RangesAdapter.toSettings(ranges, plain.layers(), plain.plans(), cfg, file);
        Result r = transformed(prepared, inputs, adc);
        return new Result(r.model(), r.layers(), r.plans(), inputs, adc);
    }

    /**
     * {@code inputs} with the input scale of every layer whose ranges entry fixes one ({@link LayerRange#inputScale()});
     * the input mode stays the calibrated one. A fixed scale for a layer that is not mapped is an error naming the file.
     */
    static Map<String, InputCalibration.LayerInput> withFileScales(Map<String, InputCalibration.LayerInput> inputs, Ranges ranges,
                                                                  String file) {
        Map<String, InputCalibration.LayerInput> out = new java.util.LinkedHashMap<>(inputs);
        for (LayerRange l : ranges.layers()) {
            if (!l.hasInputScale()) {
                continue;
            }
            InputCalibration.LayerInput in = out.get(l.node());
            if (in == null) {
                throw new CimTransformException(file + ": layer '" + l.node() + "': inputScale given for a node that is not a mapped "
                        + "layer of this model");
            }
            out.put(l.node(), new InputCalibration.LayerInput(in.mode(), (float) l.inputScale(), in.stats()));
        }
        return out;
    }

    /** Transforms a copy of {@code prepared}; layers missing from {@code adc} get no ADC. */
    public Result transformed(Model prepared, Map<String, InputCalibration.LayerInput> inputs, Map<String, AdcSetting> adc) {
        Model copy = copy(prepared);
        List<MappedLayer> layers = LayerSelection.mapped(MappedLayers.find(copy.graph()), cfg.digitalLayers());
        Map<String, LayerSetting> settings = new LinkedHashMap<>();
        for (MappedLayer l : layers) {
            InputCalibration.LayerInput in = inputs.get(l.name());
            InputMode mode = in.mode();
            settings.put(l.name(), new LayerSetting(in.scale(), mode, adc.getOrDefault(l.name(), AdcSetting.NONE)));
        }
        Map<String, TilePlan> plans = new CimTransform(cfg).apply(copy, layers, settings);
        return new Result(copy, layers, plans, inputs, adc);
    }

    /** A deep copy through serialization, with shapes inferred again. */
    public static Model copy(Model m) {
        Model c = OnnxImporter.load(OnnxWriter.toBytes(m), "copy of model");
        ShapeInference.run(c);
        return c;
    }
}
