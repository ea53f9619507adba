package org.cimq.cim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.cim.config.ArraySetup;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Granularity;
import org.cimq.cim.config.LayerRange;
import org.cimq.cim.config.Ranges;

/**
 * Converts between a ranges file ({@link Ranges}) and the transform's per-layer {@link AdcSetting}s.
 * Column order in a file (per array t): column k = n·S + j for output channel n and slice j, then,
 * with the offset scheme, each group g's reference columns at k = N·S + g·S + j.
 */
public final class RangesAdapter {
    private RangesAdapter() {
    }

    /** The ADC settings of {@code layers}, checked against their tile plans; throws naming the file and layer. */
    public static Map<String, AdcSetting> toSettings(Ranges r, List<MappedLayer> layers, Map<String, TilePlan> plans,
                                                     CimConfig cfg, String file) {
        r.checkCovers(layers.stream().map(MappedLayer::name).toList(), file);
        Map<String, AdcSetting> out = new LinkedHashMap<>();
        for (MappedLayer l : layers) {
            LayerRange lr = r.forNode(l.name()).orElseThrow();
            TilePlan p = plans.get(l.name());
            String where = file + ": layer '" + l.name() + "'";
            if (lr.levels() == 0) {
                out.put(l.name(), AdcSetting.NONE);
                continue;
            }
            AdcSetting s = switch (lr.form()) {
                case ARRAY -> {
                    if (lr.arrayDeltas().length != p.rowTiles()) {
                        throw new CimTransformException(where + ": " + lr.arrayDeltas().length + " array steps, the layer has "
                                + p.rowTiles() + " arrays");
                    }
                    yield new AdcSetting(lr.levels(), r.quantizer(), 0, lr.arrayDeltas(), null);
                }
                case COLUMN -> new AdcSetting(lr.levels(), r.quantizer(), 0, null, columns(lr.columnDeltas(), l, p, cfg, where));
                default -> AdcSetting.uniform(lr.levels(), r.quantizer(),
                        Double.isNaN(lr.delta()) ? r.networkDelta().orElseThrow() : lr.delta());
            };
            out.put(l.name(), s);
        }
        return out;
    }

    private static double[][][] columns(double[][] file, MappedLayer l, TilePlan p, CimConfig cfg, String where) {
        WeightSlices ws = new WeightSlices(cfg.weightScheme(), cfg.weightBits(), cfg.cellBits());
        int s = ws.count();
        int n = l.n();
        int refs = ws.hasReferenceColumn() ? l.groups() : 0;
        int per = l.nPerGroup();
        int block = per + (refs > 0 ? 1 : 0);
        if (file.length != p.rowTiles()) {
            throw new CimTransformException(where + ": column steps for " + file.length + " arrays, the layer has " + p.rowTiles());
        }
        double[][][] out = new double[file.length][s][l.groups() * block];
        for (int t = 0; t < file.length; t++) {
            if (file[t].length != (n + refs) * s) {
                throw new CimTransformException(where + ": array " + t + " has " + file[t].length + " column steps, expected "
                        + (n + refs) * s + " (channels × slices" + (refs > 0 ? " + reference columns" : "") + ")");
            }
            for (int c = 0; c < l.groups() * block; c++) {
                int g = c / block;
                boolean ref = c % block == per;
                for (int j = 0; j < s; j++) {
                    int k = ref ? n * s + g * s + j : (g * per + c % block) * s + j;
                    out[t][j][c] = file[t][k];
                }
            }
        }
        return out;
    }

    /** A ranges file for {@code settings} (layer or array granularity, or network when every Δ is equal). */
    public static Ranges toRanges(Map<String, AdcSetting> settings, String method, CimConfig cfg) {
        return toRanges(settings, method, cfg, List.of());
    }

    /**
     * A ranges file for {@code settings} at cfg's granularity; per-column steps are written in the
     * file's column order (class comment), which needs the layers' shapes from {@code layers}.
     */
    public static Ranges toRanges(Map<String, AdcSetting> settings, String method, CimConfig cfg, List<MappedLayer> layers) {
        List<LayerRange> out = new ArrayList<>();
        for (Map.Entry<String, AdcSetting> e : settings.entrySet()) {
            AdcSetting s = e.getValue();
            if (s.enabled() && s.columnDeltas() != null) {
                MappedLayer l = layers.stream().filter(m -> m.name().equals(e.getKey())).findFirst()
                        .orElseThrow(() -> new CimTransformException("layer '" + e.getKey() + "': per-column steps need the layer"));
                out.add(LayerRange.perColumn(e.getKey(), s.levels(), fileColumns(s.columnDeltas(), l, cfg)));
                continue;
            }
            out.add(!s.enabled() ? LayerRange.noAdc(e.getKey())
                    : s.arrayDeltas() != null ? LayerRange.perArray(e.getKey(), s.levels(), s.arrayDeltas())
                    : LayerRange.single(e.getKey(), s.levels(), s.delta()));
        }
        boolean columns = settings.values().stream().anyMatch(s -> s.columnDeltas() != null);
        Granularity g = cfg.granularity() == Granularity.COLUMN && !columns ? Granularity.LAYER : cfg.granularity();
        return new Ranges(method, g, cfg.quantizer(), out, Map.of(), ArraySetup.of(cfg));
    }

    /** The inverse of {@link #columns}: deltas[t][j][c] (slice-tensor order) to file order k. */
    private static double[][] fileColumns(double[][][] deltas, MappedLayer l, CimConfig cfg) {
        WeightSlices ws = new WeightSlices(cfg.weightScheme(), cfg.weightBits(), cfg.cellBits());
        int s = ws.count();
        int n = l.n();
        int refs = ws.hasReferenceColumn() ? l.groups() : 0;
        int per = l.nPerGroup();
        int block = per + (refs > 0 ? 1 : 0);
        double[][] out = new double[deltas.length][(n + refs) * s];
        for (int t = 0; t < deltas.length; t++) {
            for (int c = 0; c < l.groups() * block; c++) {
                int g = c / block;
                boolean ref = c % block == per;
                for (int j = 0; j < s; j++) {
                    out[t][ref ? n * s + g * s + j : (g * per + c % block) * s + j] = deltas[t][j][c];
                }
            }
        }
        return out;
    }
}
