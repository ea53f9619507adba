package org.cimq.cim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which candidate layers stay digital ({@code digital_layers}): entries are "first", "last", an
 * index among the candidates in graph order (negative counts from the end) or a node name.
 * Unknown names and out-of-range indices are errors listing what exists.
 */
public final class LayerSelection {
    private LayerSelection() {
    }

    /** The candidates that are mapped (all but the digital ones), in graph order. */
    public static List<MappedLayer> mapped(List<MappedLayer> candidates, List<String> digital) {
        Set<Integer> keep = new HashSet<>();
        int n = candidates.size();
        for (String entry : digital) {
            String e = entry.trim();
            if (e.equals("first")) {
                keep.add(0);
            } else if (e.equals("last")) {
                keep.add(n - 1);
            } else if (e.matches("-?\\d+")) {
                int i = Integer.parseInt(e);
                int at = i < 0 ? n + i : i;
                if (at < 0 || at >= n) {
                    throw new CimTransformException("digital_layers: index " + i + " is out of range; the model has " + n
                            + " mappable layers (0.." + (n - 1) + ")");
                }
                keep.add(at);
            } else {
                int at = indexOf(candidates, e);
                if (at < 0) {
                    throw new CimTransformException("digital_layers: no mappable layer named '" + e + "'; mappable layers: "
                            + candidates.stream().map(MappedLayer::name).toList());
                }
                keep.add(at);
            }
        }
        List<MappedLayer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!keep.contains(i)) {
                out.add(candidates.get(i));
            }
        }
        return out;
    }

    private static int indexOf(List<MappedLayer> candidates, String name) {
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
