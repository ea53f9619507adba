package org.cimq.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.cimq.ir.Dim;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a model's main graph: kernels are created once per node from the registry (the
 * entry for the model's opset of the node's domain), constants are converted once, and
 * {@link #run} is one loop over the topologically ordered nodes. Intermediate arrays are
 * released after their last use. Not thread-safe; create one executor per thread.
 */
public final class Executor {
    private final Graph graph;
    private final List<Node> order;
    private final List<Kernel> kernels = new ArrayList<>();
    private final Map<Value, INDArray> constants = new IdentityHashMap<>();
    private final Map<Value, Integer> lastUse = new IdentityHashMap<>();
    private boolean[] inPlace;
    /** Spare arrays left by the last run, for the next one (a run in progress holds them alone). */
    private final AtomicReference<SpareArrays> spares = new AtomicReference<>();
    /** The memory spans of the constants' arrays (fixed for the executor's life; read-only after construction). */
    private final Map<INDArray, Span> constantSpans = new IdentityHashMap<>();
    /** Outputs written into spare arrays so far (for tests). */
    private final LongAdder reusedOutputs = new LongAdder();

    public Executor(Model model) {
        this(model, StandardKernels.registry());
    }

    public Executor(Model model, KernelRegistry registry) {
        this.graph = model.graph();
        graph.sortTopologically();
        this.order = List.copyOf(graph.nodes());
        for (Value c : graph.initializers().values()) {
            constants.put(c, NdArrays.fromTensor(c.constant()));
        }
        for (int i = 0; i < order.size(); i++) {
            Node n = order.get(i);
            kernels.add(createKernel(model, registry, n));
            for (Value in : n.inputs()) {
                if (in != null) {
                    if (in.isConstant() && !constants.containsKey(in)) {
                        constants.put(in, NdArrays.fromTensor(in.constant()));
                    }
                    lastUse.put(in, i);
                }
            }
        }
        for (Value out : graph.outputs()) {
            lastUse.put(out, Integer.MAX_VALUE);
        }
        constants.values().forEach(a -> {
            if (!a.isEmpty()) {
                constantSpans.put(a, Span.of(a));
            }
        });
        inPlace = new boolean[order.size()];
        for (int i = 0; i < order.size(); i++) {
            Node n = order.get(i);
            Value first = n.input(0);
            inPlace[i] = kernels.get(i) instanceof InPlaceKernel && first != null && !first.isConstant()
                    && !graph.inputs().contains(first) && lastUse.get(first) == i
                    && n.inputs().stream().filter(v -> v == first).count() == 1;
        }
    }

    /** True when another value in {@code env} (constants and graph inputs included) shares {@code a}'s buffer. */
    private boolean aliased(Map<Value, INDArray> env, Value owner, INDArray a, Map<INDArray, Span> spans) {
        long address = span(a, spans).base();
        for (Map.Entry<Value, INDArray> e : env.entrySet()) {
            if (e.getKey() != owner && !e.getValue().isEmpty() && span(e.getValue(), spans).base() == address) {
                return true;
            }
        }
        return false;
    }

    /** Node outputs written into the arrays of dead values so far, over all runs (a diagnostic for tests). */
    public long reusedOutputs() {
        return reusedOutputs.sum();
    }

    /** The kernel's result written into a spare array of its output's shape, or null (none spare, or declined). */
    private static INDArray[] runInto(OutputReusingKernel k, INDArray[] args, SpareArrays spare) {
        long[] shape = k.reusableOutputShape(args);
        INDArray out = shape == null ? null : spare.take(shape);
        if (out == null) {
            return null;
        }
        INDArray[] results = k.runInto(args, out);
        if (results == null) {
            spare.add(out);
        }
        return results;
    }

    /**
     * True when a value in {@code env} may share memory with {@code a}: the same underlying buffer
     * ({@code data().address()}, which a view reports as its original's), or overlapping bytes (a
     * view's {@code addressPointer()} starts at its offset).
     */
    private boolean sharesBuffer(Map<Value, INDArray> env, INDArray a, Map<INDArray, Span> spans) {
        Span s = span(a, spans);
        for (INDArray b : env.values()) {
            if (!b.isEmpty() && s.mayShare(span(b, spans))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code a}'s span, from the constants' spans or this run's cache: reading an address through ND4J creates a
     * JavaCPP pointer object each time (JNI calls), and {@link #sharesBuffer} looks at every live value for every
     * value that dies, so uncached it read thousands of addresses per run. An array's buffer never moves.
     */
    private Span span(INDArray a, Map<INDArray, Span> spans) {
        Span s = constantSpans.get(a);
        return s != null ? s : spans.computeIfAbsent(a, Span::of);
    }

    /** The buffer's own address ({@code data().address()}, a view's original's) and the bytes [from, to) it covers. */
    private record Span(long base, long from, long to) {
        static Span of(INDArray a) {
            long from = a.data().addressPointer().address();
            return new Span(a.data().address(), from, from + a.data().length() * a.data().getElementSize());
        }

        boolean mayShare(Span o) {
            return o.base == base || (o.from < to && from < o.to);
        }
    }

    private static Kernel createKernel(Model model, KernelRegistry registry, Node n) {
        long opset = model.opsetVersion(n.domain());
        if (opset < 0) {
            throw new UnsupportedOpException(n.describe() + " uses domain '" + n.domain()
                    + "', which the model does not import (opset_import)");
        }
        KernelFactory f = registry.find(n.domain(), n.opType(), (int) opset);
        if (f == null) {
            String why = registry.supports(n.domain(), n.opType())
                    ? " at opset " + opset + " (supported from opset " + registry.firstVersion(n.domain(), n.opType()) + ")"
                    : " (domain '" + n.domain() + "', opset " + opset + ")";
            throw new UnsupportedOpException("unsupported op " + n.opType() + why + " in " + n.describe()
                    + "; supported ops: " + String.join(", ", registry.supportedOps()));
        }
        try {
            return f.create(n, (int) opset);
        } catch (KernelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KernelException(n.describe() + ": " + e.getMessage(), e);
        }
    }

    public Graph graph() {
        return graph;
    }

    /** Runs with inputs given in graph-input order; returns outputs in graph-output order. */
    public INDArray[] run(INDArray... inputs) {
        if (inputs.length != graph.inputs().size()) {
            throw new KernelException("the model takes " + graph.inputs().size() + " input(s), got " + inputs.length);
        }
        Map<String, INDArray> named = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            named.put(graph.inputs().get(i).name(), inputs[i]);
        }
        Map<String, INDArray> out = run(named, null);
        return graph.outputs().stream().map(v -> out.get(v.name())).toArray(INDArray[]::new);
    }

    /**
     * Runs with named inputs. {@code observer}, if not null, sees every value computed (node
     * outputs, in execution order) before it may be released.
     */
    public Map<String, INDArray> run(Map<String, INDArray> inputs, BiConsumer<Value, INDArray> observer) {
        Map<Value, INDArray> env = new IdentityHashMap<>(constants);
        // dead values' arrays, reused as outputs later in this run and the next (not with an observer, which may keep them)
        SpareArrays spare = observer == null ? spares.getAndSet(null) : null;
        if (observer == null && spare == null) {
            spare = new SpareArrays();
        }
        try {
            return run(inputs, observer, env, spare);
        } finally {
            if (spare != null) {
                spare.endRun();
                spares.set(spare);
            }
        }
    }

    private Map<String, INDArray> run(Map<String, INDArray> inputs, BiConsumer<Value, INDArray> observer,
                                      Map<Value, INDArray> env, SpareArrays spare) {
        Map<String, Value> byName = new HashMap<>();
        graph.inputs().forEach(v -> byName.put(v.name(), v));
        Map<INDArray, Span> spans = new IdentityHashMap<>();
        for (Value in : graph.inputs()) {
            if (constants.containsKey(in)) {
                continue;
            }
            INDArray a = inputs.get(in.name());
            if (a == null) {
                throw new KernelException("missing model input '" + in.name() + "'; expected inputs: "
                        + graph.inputs().stream().map(Value::name).toList());
            }
            checkInput(in, a);
            env.put(in, a);
        }
        for (String k : inputs.keySet()) {
            if (!byName.containsKey(k)) {
                throw new KernelException("unknown input '" + k + "', expected one of "
                        + graph.inputs().stream().map(Value::name).toList());
            }
        }
        for (int i = 0; i < order.size(); i++) {
            Node n = order.get(i);
            INDArray[] args = new INDArray[n.inputs().size()];
            for (int j = 0; j < args.length; j++) {
                Value v = n.input(j);
                if (v != null) {
                    args[j] = env.get(v);
                    if (args[j] == null) {
                        throw new KernelException(n.describe() + ": input '" + v.name() + "' has no value (not produced before this node)");
                    }
                }
            }
            INDArray[] results;
            try {
                Kernel k = kernels.get(i);
                results = inPlace[i] && !args[0].isEmpty() && !aliased(env, n.input(0), args[0], spans)
                        ? ((InPlaceKernel) k).runInPlace(args) : null;
                if (results == null) {
                    results = spare != null && k instanceof OutputReusingKernel r ? runInto(r, args, spare) : null;
                    if (results != null) {
                        reusedOutputs.increment();
                    } else {
                        results = k.run(args);
                    }
                }
            } catch (KernelException e) {
                throw e.getMessage().contains(n.describe()) ? e : new KernelException(n.describe() + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new KernelException(n.describe() + " failed on inputs " + shapes(args) + ": " + e, e);
            }
            for (int j = 0; j < n.outputs().size() && j < results.length; j++) {
                Value o = n.output(j);
                if (o != null && results[j] != null) {
                    env.put(o, results[j]);
                    if (observer != null) {
                        observer.accept(o, results[j]);
                    }
                }
            }
            for (Value v : n.inputs()) {
                if (v != null && !v.isConstant() && lastUse.getOrDefault(v, -1) == i) {
                    INDArray dead = env.remove(v);
                    if (spare != null && dead != null && !graph.inputs().contains(v) && SpareArrays.keepable(dead)
                            && !sharesBuffer(env, dead, spans)) {
                        spare.add(dead);
                    }
                    if (dead != null) {
                        spans.remove(dead); // the cache must not keep dead arrays (and their memory) alive
                    }
                }
            }
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Value v : graph.outputs()) {
            INDArray a = env.get(v);
            if (a == null) {
                throw new KernelException("graph output '" + v.name() + "' was not computed");
            }
            out.put(v.name(), a);
        }
        return out;
    }

    private static void checkInput(Value in, INDArray a) {
        TensorType t = in.type();
        if (t == null) {
            return;
        }
        if (t.dtype() != null && NdArrays.toNd4j(t.dtype()) != a.dataType()) {
            throw new KernelException("input '" + in.name() + "' expects " + t.dtype() + ", got " + a.dataType());
        }
        if (!t.hasRank()) {
            return;
        }
        long[] shape = a.shape();
        boolean ok = shape.length == t.rank();
        for (int d = 0; ok && d < shape.length; d++) {
            Dim dim = t.dims().get(d);
            ok = !dim.isKnown() || dim.value() == shape[d];
        }
        if (!ok) {
            throw new KernelException("input '" + in.name() + "' expects shape " + t.dims() + ", got " + Arrays.toString(shape));
        }
    }

    private static String shapes(INDArray[] args) {
        StringBuilder sb = new StringBuilder("[");
        for (INDArray a : args) {
            sb.append(sb.length() > 1 ? ", " : "").append(a == null ? "absent" : a.dataType() + Arrays.toString(a.shape()));
        }
        return sb.append(']').toString();
    }
}
