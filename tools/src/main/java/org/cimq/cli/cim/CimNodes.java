package org.cimq.cli.cim;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.runtime.cim.CimOps;

/**
 * Reads a model that is already transformed (it imports {@link CimOps#DOMAIN}) back into a
 * per-layer summary from its nodes alone: each {@code CimArray} node is one row tile of a layer
 * (all its column tiles and groups), each {@code AdcQuantize} the ADC after one of them.
 */
public final class CimNodes {
    public static final String DOMAIN = CimOps.DOMAIN;

    /**
     * One layer's CIM nodes: input scale and mode (from {@code CimQuantizeInput}), CimArray,
     * AdcQuantize and CimShiftAdd node counts, levels L, and Δ: one {@code delta} when every ADC
     * node has the same scalar step, else {@code deltas} per ADC node (a number, or the
     * per-column tensor's values).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Layer(String name, float inputScale, String inputMode, int arrayNodes, int adcNodes, int shiftAddNodes,
                        int levels, Double delta, List<Object> deltas) { }

    private CimNodes() {
    }

    public static boolean isTransformed(Model m) {
        return m.opsetImports().containsKey(DOMAIN);
    }

    /** The layers in graph order. */
    public static List<Layer> layers(Model m) {
        Map<String, Counts> byLayer = new LinkedHashMap<>();
        for (Node n : m.graph().nodes()) {
            if (!n.domain().equals(DOMAIN)) {
                continue;
            }
            Node array = arrayBehind(n);
            if (array == null) {
                continue;
            }
            Counts c = byLayer.computeIfAbsent(array.attrString("layer", array.name()), k -> new Counts());
            switch (n.opType()) {
                case CimOps.ARRAY -> {
                    c.arrays++;
                    Node q = n.input(0).producer();
                    if (q != null && q.opType().equals(CimOps.BIT_PLANES)) {
                        q = q.input(0).producer();
                    }
                    if (q != null && q.opType().equals(CimOps.QUANTIZE_INPUT)) {
                        c.scale = q.attrFloat("scale", Float.NaN);
                        c.mode = q.attrString("input_mode", "unsigned");
                    }
                }
                case CimOps.ADC -> {
                    c.levels = (int) n.attrInt("levels", 0);
                    c.deltas.add(n.hasAttr("delta") ? (Object) n.attrFloat("delta", Float.NaN)
                            : n.attrTensor("deltas").toFloatArray());
                }
                case CimOps.SHIFT_ADD -> c.shiftAdds++;
                default -> { }
            }
        }
        List<Layer> out = new ArrayList<>();
        byLayer.forEach((name, c) -> out.add(c.layer(name)));
        return out;
    }

    /** The report eval gives for a transformed model: its provenance metadata, if any, and its layers. */
    public static CimReport report(Model m) {
        List<Layer> layers = layers(m);
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("arrayNodes", layers.stream().mapToLong(Layer::arrayNodes).sum());
        totals.put("adcNodes", layers.stream().mapToLong(Layer::adcNodes).sum());
        return new CimReport(jsonMap(m, Provenance.CONFIG), m.metadata().get(Provenance.RANGES_METHOD),
                jsonMap(m, Provenance.CALIBRATION), layers, totals);
    }

    /** The CimArray node a CIM node belongs to: itself, or the one feeding it (through an ADC for CimShiftAdd). */
    private static Node arrayBehind(Node n) {
        Node cur = n;
        for (int hops = 0; hops < 3 && cur != null; hops++) {
            if (cur.opType().equals(CimOps.ARRAY)) {
                return cur;
            }
            if (cur.opType().equals(CimOps.QUANTIZE_INPUT) || cur.opType().equals(CimOps.BIT_PLANES)) {
                return null;
            }
            Value in = cur.input(0);
            cur = in == null ? null : in.producer();
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonMap(Model m, String key) {
        String text = m.metadata().get(key);
        if (text == null) {
            return null;
        }
        try {
            return Provenance.JSON.readValue(text, Map.class);
        } catch (JsonProcessingException e) {
            return Map.of("unreadable", text);
        }
    }

    private static final class Counts {
        int arrays;
        int shiftAdds;
        int levels;
        float scale = Float.NaN;
        String mode;
        final List<Object> deltas = new ArrayList<>();

        Layer layer(String name) {
            boolean single = !deltas.isEmpty() && deltas.get(0) instanceof Float && deltas.stream().allMatch(d -> d.equals(deltas.get(0)));
            Double delta = single ? ((Number) deltas.get(0)).doubleValue() : null;
            return new Layer(name, scale, mode, arrays, deltas.size(), shiftAdds, levels, delta,
                    single || deltas.isEmpty() ? null : List.copyOf(deltas));
        }
    }
}
