package org.cimq.cim;

import java.util.List;
import java.util.Map;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;
import org.cimq.runtime.cim.CimOps;

/**
 * The reference CIM is checked against: each mapped layer with the same integer weights and
 * input codes but no arrays, slices, planes or ADC —
 * {@code x → CimQuantizeInput → Conv/MatMul(codes, q) → Mul(s_w[n]·s_x·alpha) → Add(bias)}.
 * CIM-SPEC: with L = 0 the CIM transform must equal this exactly.
 */
public final class FakeQuantTransform {
    private final CimConfig cfg;

    public FakeQuantTransform(CimConfig cfg) {
        this.cfg = cfg;
    }

    public void apply(Model model, List<MappedLayer> layers, Map<String, LayerSetting> settings) {
        model.opsetImports().put(CimOps.DOMAIN, (long) CimOps.VERSION);
        Graph g = model.graph();
        for (MappedLayer layer : layers) {
            LayerSetting s = settings.get(layer.name());
            Node orig = layer.node();
            NodeFactory f = new NodeFactory(g, orig, layer.name() + "/fq");
            Node quant = f.quantizeInput(layer.input(), s, cfg.inputBits());
            QuantizedWeights qw = new CimTransform(cfg).quantizeForReference(layer);
            float[] q = new float[qw.q().length];
            for (int i = 0; i < q.length; i++) {
                q[i] = qw.q()[i];
            }
            Value w = f.constant("q", Tensor.ofFloats(layer.weight().shape(), q));
            Node mac;
            if (layer.kind() == LayerKind.CONV) {
                mac = f.node("", "Conv", quant.output(0), w);
                for (String a : new String[] {"strides", "pads", "dilations", "group", "auto_pad", "kernel_shape"}) {
                    if (orig.hasAttr(a)) {
                        mac.setAttr(a, orig.attr(a));
                    }
                }
            } else {
                mac = f.node("", "MatMul", quant.output(0), w);
            }
            f.replaceAnchor(OutputScaling.add(f, mac.output(0), layer, qw.scales(), s.inputScale()));
        }
        g.sortTopologically();
    }
}
