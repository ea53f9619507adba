package org.cimq.cim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Attr;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.runtime.cim.CimOps;

/**
 * Rewrites each mapped layer into cimq's CIM nodes (CIM-SPEC):
 * <pre>
 * x → CimQuantizeInput → CimBitPlanes ─┬→ CimArray(tile 0) → AdcQuantize ─┐
 *                                      ├→ CimArray(tile 1) → AdcQuantize ─┼→ CimShiftAdd → Mul(s_w[n]·s_x) → Add(bias) → y
 *                                      └→ …                                ┘
 * </pre>
 * AdcQuantize nodes are left out when L = 0. The model imports domain {@link CimOps#DOMAIN}.
 * Returns the tile plan of every rewritten layer. A QDQ layer's integer weights and scales are
 * the model's ({@link QdqSettings}); its input is quantized from QuantizeLinear's input, and the
 * QuantizeLinear/DequantizeLinear nodes left unused are removed.
 */
public final class CimTransform {
    private final CimConfig cfg;

    public CimTransform(CimConfig cfg) {
        this.cfg = cfg;
    }

    /** Rewrites {@code layers} of {@code model} in place with their settings (keyed by layer name). */
    public Map<String, TilePlan> apply(Model model, List<MappedLayer> layers, Map<String, LayerSetting> settings) {
        model.opsetImports().put(CimOps.DOMAIN, (long) CimOps.VERSION);
        Map<String, TilePlan> plans = new LinkedHashMap<>();
        for (MappedLayer layer : layers) {
            LayerSetting s = settings.get(layer.name());
            if (s == null) {
                throw new CimTransformException("no input scale / ADC setting for mapped layer '" + layer.name() + "'");
            }
            TilePlan plan = TilePlanner.plan(layer, cfg, s.inputMode(), Positions.perImage(layer));
            rewrite(model.graph(), layer, s, plan);
            plans.put(layer.name(), plan);
        }
        QdqCleanup.removeDead(model.graph(), layers);
        model.graph().sortTopologically();
        return plans;
    }

    private void rewrite(Graph g, MappedLayer layer, LayerSetting s, TilePlan plan) {
        Node orig = layer.node();
        String base = layer.name() + "/cim";
        NodeFactory f = new NodeFactory(g, orig, base);
        Node quant = f.quantizeInput(QdqSettings.source(layer, s.inputMode(), cfg.inputBits()), s, cfg.inputBits());
        Node planes = f.node(CimOps.BIT_PLANES, quant.output(0));
        planes.setAttr("bits", new Attr.IntAttr(cfg.inputBits()));
        planes.setAttr("dac_bits", new Attr.IntAttr(cfg.dacBits()));
        planes.setAttr("input_mode", Attr.StringAttr.of(s.inputMode().id()));
        QuantizedWeights qw = quantize(layer);
        WeightSlices slices = new WeightSlices(cfg.weightScheme(), cfg.weightBits(), cfg.cellBits());
        List<Value> sums = new ArrayList<>();
        for (int t = 0; t < plan.rowTiles(); t++) {
            Value w = f.constant("array" + t + "_slices",
                    ArraySlices.build(layer, qw.q(), slices, plan.rowStarts()[t], plan.rowStarts()[t + 1]));
            Node array = f.node(CimOps.ARRAY, planes.output(0), w);
            array.setName(base + "/array" + t);
            array.setAttr("kind", Attr.StringAttr.of(layer.kind() == LayerKind.CONV ? "conv" : "matmul"));
            array.setAttr("layer", Attr.StringAttr.of(layer.name()));
            array.setAttr("array", new Attr.IntAttr(t));
            array.setAttr("row_start", new Attr.IntAttr(plan.rowStarts()[t]));
            array.setAttr("row_end", new Attr.IntAttr(plan.rowStarts()[t + 1]));
            int[] range = ArraySlices.inputRange(layer, plan.rowStarts()[t], plan.rowStarts()[t + 1]);
            if (layer.kind() == LayerKind.CONV) {
                array.setAttr("channel_start", new Attr.IntAttr(range[0]));
                array.setAttr("channel_end", new Attr.IntAttr(range[1]));
            }
            if (layer.kind() == LayerKind.CONV) {
                for (String a : new String[] {"strides", "pads", "dilations", "group", "auto_pad"}) {
                    if (orig.hasAttr(a)) {
                        array.setAttr(a, orig.attr(a));
                    }
                }
            }
            sums.add(s.adc().enabled() ? AdcNodes.add(f, array.output(0), s.adc(), t, layer, slices) : array.output(0));
        }
        Node shift = f.node(CimOps.SHIFT_ADD, sums.toArray(Value[]::new));
        shift.setAttr("plane_weights", floats(s.inputMode().planeWeights(cfg.inputBits(), cfg.dacBits())));
        shift.setAttr("slice_weights", floats(slices.weights()));
        shift.setAttr("reference_column", new Attr.IntAttr(slices.hasReferenceColumn() ? 1 : 0));
        shift.setAttr("groups", new Attr.IntAttr(layer.groups()));
        shift.setAttr("channel_axis", new Attr.IntAttr(Positions.channelAxis(layer)));
        f.replaceAnchor(OutputScaling.add(f, shift.output(0), layer, qw.scales(), s.inputScale()));
    }

    /** The layer's integer weights and per-channel scales, as the transform computes or takes them. */
    QuantizedWeights quantizeForReference(MappedLayer layer) {
        return quantize(layer);
    }

    private QuantizedWeights quantize(MappedLayer layer) {
        if (layer.givenWeight() != null) {
            return QdqSettings.weights(layer, cfg);
        }
        float[] w = layer.weight().toFloatArray();
        if (layer.kind() == LayerKind.CONV) {
            int k = layer.k();
            return QuantizedWeights.of(w, layer.n(), i -> i / k, cfg.weightBits());
        }
        int n = layer.n();
        return QuantizedWeights.of(w, n, i -> i % n, cfg.weightBits());
    }

    static Attr floats(double[] v) {
        List<Float> l = new ArrayList<>();
        for (double d : v) {
            l.add((float) d);
        }
        return new Attr.FloatsAttr(l);
    }
}
