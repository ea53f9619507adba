package org.cimq.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Kernel factories keyed by (domain, op type, since-version). {@link #find} picks the entry
 * with the highest since-version that is ≤ the model's opset for that domain, as ONNX's
 * reference evaluator does. The default domain is "" ("ai.onnx" is read as "").
 */
public final class KernelRegistry {
    private final Map<String, NavigableMap<Integer, KernelFactory>> entries = new TreeMap<>();

    /** Registers {@code factory} for {@code op} in {@code domain} from opset {@code sinceVersion} on. */
    public KernelRegistry register(String domain, String op, int sinceVersion, KernelFactory factory) {
        entries.computeIfAbsent(key(domain, op), k -> new TreeMap<>()).put(sinceVersion, factory);
        return this;
    }

    /** Shorthand for the default ONNX domain. */
    public KernelRegistry register(String op, int sinceVersion, KernelFactory factory) {
        return register("", op, sinceVersion, factory);
    }

    /** The factory for {@code op} at {@code opset}, or null if none applies. */
    public KernelFactory find(String domain, String op, int opset) {
        NavigableMap<Integer, KernelFactory> versions = entries.get(key(domain, op));
        if (versions == null) {
            return null;
        }
        Map.Entry<Integer, KernelFactory> e = versions.floorEntry(opset);
        return e == null ? null : e.getValue();
    }

    public boolean supports(String domain, String op) {
        return entries.containsKey(key(domain, op));
    }

    /** The lowest opset at which {@code op} has a kernel, or -1. */
    public int firstVersion(String domain, String op) {
        NavigableMap<Integer, KernelFactory> versions = entries.get(key(domain, op));
        return versions == null ? -1 : versions.firstKey();
    }

    /** Supported ops as "op" (default domain) or "domain:op", sorted. */
    public List<String> supportedOps() {
        return new ArrayList<>(new TreeSet<>(entries.keySet()));
    }

    private static String key(String domain, String op) {
        String d = domain == null || domain.equals("ai.onnx") ? "" : domain;
        return d.isEmpty() ? op : d + ":" + op;
    }
}
