package org.cimq.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cimq.onnx.proto.OnnxSchema.AttributeProto;
import org.cimq.onnx.proto.OnnxSchema.AttributeProto.AttributeType;
import org.cimq.onnx.proto.OnnxSchema.GraphProto;
import org.cimq.onnx.proto.OnnxSchema.ModelProto;
import org.cimq.onnx.proto.OnnxSchema.NodeProto;
import org.cimq.onnx.proto.OnnxSchema.OperatorSetId;
import org.cimq.onnx.proto.OnnxSchema.StringStringEntry;
import org.cimq.onnx.proto.OnnxSchema.TensorProto;
import org.cimq.onnx.proto.OnnxSchema.TensorShapeProto;
import org.cimq.onnx.proto.OnnxSchema.TypeProto;
import org.cimq.onnx.proto.OnnxSchema.ValueInfoProto;

/**
 * Generates a corpus of malformed and hostile ONNX files, each one invalid for a reason it is
 * named after: truncations, random bytes, wrong wire types, bad dimensions, size mismatches,
 * cycles, dangling names, bad opsets and domains, escaping external data, deep subgraph nesting
 * and huge repeated fields. The valid model they start from is
 * x[batch,1,4,4] → Conv(w[2,1,3,3], b[2], pad 1) → Relu → y.
 */
final class HostileModels {
    /** One corpus entry: what is wrong with it, and the file holding it. */
    record Case(String name, Path file) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final Path dir;
    private final List<Case> cases = new ArrayList<>();

    private HostileModels(Path dir) {
        this.dir = dir;
    }

    /** Writes every hostile file into {@code dir} (plus the external-data side files they name). */
    static List<Case> generate(Path dir) throws IOException {
        HostileModels h = new HostileModels(dir);
        h.truncations();
        h.randomBytes();
        h.wrongWireTypes();
        h.badDimensions();
        h.sizeMismatches();
        h.badGraphs();
        h.badOpsets();
        h.externalData();
        h.deepNesting();
        h.hugeRepeatedFields();
        return h.cases;
    }

    /** The valid model every case starts from. */
    static ModelProto valid() {
        return model(baseGraph().build());
    }

    // ---- builders ------------------------------------------------------------------------

    static ModelProto model(GraphProto g) {
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(opset("", 13)).setProducerName("hostile").setGraph(g).build();
    }

    static OperatorSetId opset(String domain, long version) {
        return OperatorSetId.newBuilder().setDomain(domain).setVersion(version).build();
    }

    static GraphProto.Builder baseGraph() {
        return GraphProto.newBuilder().setName("g")
                .addInput(floatInfo("x", "batch", 1, 4, 4))
                .addInitializer(floats("w", new long[] {2, 1, 3, 3}, 18))
                .addInitializer(floats("b", new long[] {2}, 2))
                .addNode(node("Conv", "conv", List.of("x", "w", "b"), List.of("c"),
                        AttributeProto.newBuilder().setName("pads").setType(AttributeType.INTS).addAllInts(List.of(1L, 1L, 1L, 1L)).build()))
                .addNode(node("Relu", "relu", List.of("c"), List.of("y")))
                .addOutput(floatInfo("y", "batch", 2, 4, 4));
    }

    static ValueInfoProto floatInfo(String name, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            s.addDim(d instanceof String p ? TensorShapeProto.Dimension.newBuilder().setDimParam(p)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    static NodeProto node(String op, String name, List<String> in, List<String> out, AttributeProto... attrs) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addAllOutput(out).addAllAttribute(List.of(attrs)).build();
    }

    /** A float tensor of {@code dims} with {@code count} raw values 0.1, 0.2, ... */
    static TensorProto floats(String name, long[] dims, int count) {
        ByteBuffer bb = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            bb.putFloat(0.1f * (i + 1));
        }
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(1).setRawData(ByteString.copyFrom(bb.array()));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    private static GraphProto withInitializer(int index, TensorProto t) {
        return baseGraph().setInitializer(index, t).build();
    }

    private void add(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(String.format("%03d_%s.onnx", cases.size(), name));
        Files.write(file, bytes);
        cases.add(new Case(name, file));
    }

    private void add(String name, ModelProto m) throws IOException {
        add(name, m.toByteArray());
    }

    private void add(String name, GraphProto g) throws IOException {
        add(name, model(g));
    }

    // ---- the cases -----------------------------------------------------------------------

    /** Cuts at 16 offsets spread over the first two fields (ir_version and graph): the graph is always broken. */
    private void truncations() throws IOException {
        ModelProto noOpset = valid().toBuilder().clearOpsetImport().clearProducerName().build();
        byte[] head = noOpset.toByteArray();
        byte[] full = valid().toByteArray();
        int[] offsets = {0, 1, 3, 4, 5, 7, 10, 20, 40, 60, 90, head.length / 2, head.length - 40, head.length - 9, head.length - 2, head.length - 1};
        for (int off : offsets) {
            add("truncated_at_" + off, Arrays.copyOf(full, off));
        }
    }

    private void randomBytes() throws IOException {
        Random rnd = new Random(20261126);
        for (int size : new int[] {1, 7, 64, 1000, 65536}) {
            byte[] b = new byte[size];
            rnd.nextBytes(b);
            add("random_" + size + "_bytes", b);
        }
        byte[] valid = valid().toByteArray();
        byte[] flipped = valid.clone();
        for (int i = 2; i < flipped.length; i += 5) {
            flipped[i] ^= (byte) 0x5A;
        }
        add("valid_model_with_every_fifth_byte_flipped", flipped);
    }

    private void wrongWireTypes() throws IOException {
        // graph (field 7) as a varint, then a valid opset: no graph to read
        add("graph_field_as_varint", bytes(out -> {
            out.writeInt64(1, 8);
            out.writeUInt64(7, 12345);
            out.writeMessage(8, opset("", 13));
        }));
        // graph as fixed64
        add("graph_field_as_fixed64", bytes(out -> {
            out.writeInt64(1, 8);
            out.writeFixed64(7, 42);
            out.writeMessage(8, opset("", 13));
        }));
        // a wire type that does not exist (6) on field 1
        add("invalid_wire_type_6", bytes(out -> {
            out.writeTag(1, 6);
            out.writeUInt32NoTag(5);
        }));
        // end-group tag without a start group
        add("stray_end_group", bytes(out -> {
            out.writeInt64(1, 8);
            out.writeTag(7, 4);
        }));
        // the weight's dims as fixed32 (ignored as unknown): the 18 floats then do not fit a scalar
        TensorProto w = floats("w", new long[0], 18);
        TensorProto wrongDims = TensorProto.newBuilder(w).mergeFrom(bytes(out -> {
            for (int d : new int[] {2, 1, 3, 3}) {
                out.writeFixed32(1, d);
            }
        })).build();
        add("tensor_dims_as_fixed32", withInitializer(0, wrongDims));
        // the node's op_type as a varint: the node has no op type
        GraphProto g = baseGraph().build();
        NodeProto relu = NodeProto.newBuilder().addInput("c").addOutput("y").setName("relu")
                .mergeFrom(bytes(out -> out.writeUInt64(4, 7))).build();
        add("node_op_type_as_varint", g.toBuilder().setNode(1, relu).build());
        // a length prefix far beyond the end of the file
        add("length_prefix_past_end", bytes(out -> {
            out.writeInt64(1, 8);
            out.writeTag(7, 2);
            out.writeUInt32NoTag(Integer.MAX_VALUE - 16);
            out.writeRawBytes(new byte[32]);
        }));
        // a negative length prefix
        add("negative_length_prefix", bytes(out -> {
            out.writeInt64(1, 8);
            out.writeTag(7, 2);
            out.writeUInt64NoTag(-5L);
        }));
    }

    private void badDimensions() throws IOException {
        add("initializer_negative_dim", withInitializer(0, floats("w", new long[] {2, -1, 3, 3}, 18)));
        add("initializer_dims_overflow_long", withInitializer(0, floats("w", new long[] {1L << 40, 1L << 40, 1L << 40}, 18)));
        add("initializer_8_GiB_declared", withInitializer(0, floats("w", new long[] {1L << 31}, 18)));
        add("initializer_huge_dims_no_data", withInitializer(0,
                TensorProto.newBuilder().setName("w").setDataType(1).addAllDims(List.of(1L << 28, 16L)).build()));
        add("input_type_negative_dim", baseGraph().setInput(0, floatInfo("x", "batch", -3, 4, 4)).build());
        add("initializer_unknown_data_type", withInitializer(1, floats("b", new long[] {2}, 2).toBuilder().setDataType(99).build()));
        add("initializer_no_data_type", withInitializer(1, floats("b", new long[] {2}, 2).toBuilder().clearDataType().build()));
    }

    private void sizeMismatches() throws IOException {
        add("raw_data_shorter_than_dims", withInitializer(0, floats("w", new long[] {2, 1, 3, 3}, 17)));
        add("raw_data_longer_than_dims", withInitializer(1, floats("b", new long[] {2}, 3)));
        add("float_data_count_wrong", withInitializer(1,
                TensorProto.newBuilder().setName("b").setDataType(1).addDims(2).addAllFloatData(List.of(1f, 2f, 3f)).build()));
        add("int64_data_missing", withInitializer(1, TensorProto.newBuilder().setName("b").setDataType(7).addDims(4).build()));
        add("string_data_count_wrong", withInitializer(1,
                TensorProto.newBuilder().setName("b").setDataType(8).addDims(3).addStringData(ByteString.copyFromUtf8("a")).build()));
    }

    private void badGraphs() throws IOException {
        GraphProto g = baseGraph().build();
        add("cycle_two_nodes", g.toBuilder()
                .setNode(0, node("Conv", "conv", List.of("y", "w", "b"), List.of("c"))).build());
        add("cycle_self_loop", g.toBuilder().setNode(1, node("Relu", "relu", List.of("y"), List.of("y"))).build());
        add("dangling_node_input", g.toBuilder().setNode(1, node("Relu", "relu", List.of("nowhere"), List.of("y"))).build());
        add("missing_initializer", g.toBuilder().removeInitializer(0).build());
        add("duplicate_node_output", g.toBuilder().addNode(node("Relu", "relu2", List.of("c"), List.of("y"))).build());
        add("graph_output_listed_twice", g.toBuilder().addOutput(floatInfo("y", "batch", 2, 4, 4)).build());
        add("graph_output_not_produced", g.toBuilder().addOutput(floatInfo("z", "batch")).build());
        add("duplicate_initializer", g.toBuilder().addInitializer(floats("b", new long[] {2}, 2)).build());
        add("node_without_op_type", g.toBuilder().setNode(1, node("", "relu", List.of("c"), List.of("y"))).build());
        add("no_graph", ModelProto.newBuilder().setIrVersion(8).addOpsetImport(opset("", 13)).build());
        add("empty_file", new byte[0]);
        AttributeProto twice = AttributeProto.newBuilder().setName("alpha").setType(AttributeType.FLOAT).setF(1f).build();
        add("attribute_given_twice", g.toBuilder().setNode(1, node("Relu", "relu", List.of("c"), List.of("y"), twice, twice)).build());
    }

    private void badOpsets() throws IOException {
        GraphProto g = baseGraph().build();
        NodeProto custom = node("Relu", "relu", List.of("c"), List.of("y")).toBuilder().setDomain("com.evil").build();
        add("node_domain_not_imported", g.toBuilder().setNode(1, custom).build());
        add("opset_version_zero", valid().toBuilder().setOpsetImport(0, opset("", 0)).build());
        add("opset_version_negative", valid().toBuilder().setOpsetImport(0, opset("", -13)).build());
        add("opset_version_over_int_range", valid().toBuilder().setOpsetImport(0, opset("", (1L << 32) + 13)).build());
        GraphProto sub = GraphProto.newBuilder().setName("then").addNode(node("Relu", "inner", List.of("c"), List.of("t")).toBuilder()
                .setDomain("org.unknown").build()).addOutput(floatInfo("t")).build();
        add("subgraph_node_domain_not_imported", g.toBuilder().setNode(1, node("If", "if", List.of("c"), List.of("y"),
                graphAttr("then_branch", sub), graphAttr("else_branch", sub))).build());
    }

    private void externalData() throws IOException {
        Path outside = dir.resolveSibling(dir.getFileName() + "-outside.bin");
        Files.write(outside, new byte[72]);
        Path inside = dir.resolve("weights.bin");
        Files.write(inside, new byte[72]);
        add("external_data_dot_dot", withInitializer(0, external("../" + outside.getFileName(), 0)));
        add("external_data_absolute", withInitializer(0, external(outside.toAbsolutePath().toString(), 0)));
        add("external_data_missing_file", withInitializer(0, external("no_such_weights.bin", 0)));
        add("external_data_offset_past_end", withInitializer(0, external("weights.bin", 64)));
        add("external_data_negative_offset", withInitializer(0, external("weights.bin", -8)));
        add("external_data_no_location", withInitializer(0, external("", 0)));
        add("external_data_offset_not_a_number", withInitializer(0, external("weights.bin", 0).toBuilder()
                .setExternalData(1, StringStringEntry.newBuilder().setKey("offset").setValue("zero")).build()));
        add("external_data_is_the_folder", withInitializer(0, external(".", 0)));
        Path link = dir.resolve("link_out.bin");
        Files.createSymbolicLink(link, outside.toAbsolutePath());
        add("external_data_symlink_out_of_folder", withInitializer(0, external("link_out.bin", 0)));
    }

    private static TensorProto external(String location, long offset) {
        return TensorProto.newBuilder().setName("w").setDataType(1).addAllDims(List.of(2L, 1L, 3L, 3L))
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntry.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntry.newBuilder().setKey("offset").setValue(Long.toString(offset)))
                .build();
    }

    private void deepNesting() throws IOException {
        add("subgraphs_nested_20_deep", model(nestedIf(20)));
        add("subgraphs_nested_60_deep", model(nestedIf(60)));
        // 100,000 nested messages: GraphProto.node → NodeProto.attribute → AttributeProto.g → ...
        byte[] inner = new byte[0];
        int levels = 100_000;
        for (int i = levels - 1; i >= 0; i--) {
            inner = lengthDelimited(i % 3 == 0 ? 1 : i % 3 == 1 ? 5 : 6, inner);
        }
        add("proto_nested_100000_deep", concat(bytes(out -> out.writeInt64(1, 8)), lengthDelimited(7, inner)));
    }

    /** If nodes whose then branch holds another If, {@code depth} levels down (else branches are leaves). */
    private static GraphProto nestedIf(int depth) {
        GraphProto leaf = GraphProto.newBuilder().setName("leaf").addNode(node("Relu", "leaf", List.of("c"), List.of("t0")))
                .addOutput(floatInfo("t0")).build();
        GraphProto g = leaf;
        for (int i = 1; i <= depth; i++) {
            g = GraphProto.newBuilder().setName("level" + i).addNode(node("If", "if" + i, List.of("c"), List.of("t" + i),
                    graphAttr("then_branch", g), graphAttr("else_branch", leaf))).addOutput(floatInfo("t" + i)).build();
        }
        return baseGraph().setNode(1, node("If", "top", List.of("c"), List.of("y"), graphAttr("then_branch", g),
                graphAttr("else_branch", leaf))).build();
    }

    private static AttributeProto graphAttr(String name, GraphProto g) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.GRAPH).setG(g).build();
    }

    private void hugeRepeatedFields() throws IOException {
        GraphProto g = baseGraph().build();
        // one node reading c 300,000 times, then a graph output listed twice (found only by verification)
        NodeProto wide = NodeProto.newBuilder().setOpType("Sum").setName("wide").addAllInput(java.util.Collections.nCopies(300_000, "c"))
                .addOutput("y").build();
        add("node_with_300000_inputs", g.toBuilder().setNode(1, wide).addOutput(floatInfo("y")).build());
        // 100,000 chained Relu nodes closing a cycle at the end
        GraphProto.Builder chain = baseGraph().removeNode(1);
        chain.addNode(node("Relu", "r0", List.of("c", "r99999"), List.of("r0")));
        for (int i = 1; i < 100_000; i++) {
            chain.addNode(node("Relu", "r" + i, List.of("r" + (i - 1)), List.of("r" + i)));
        }
        add("chain_of_100000_nodes_with_a_cycle", chain.setOutput(0, floatInfo("r99999")).build());
        // 100,000 initializers, the last a duplicate
        GraphProto.Builder inits = baseGraph();
        for (int i = 0; i < 100_000; i++) {
            inits.addInitializer(floats("k" + i, new long[] {1}, 1));
        }
        add("100000_initializers_one_duplicate", inits.addInitializer(floats("k7", new long[] {1}, 1)).build());
        // a tensor with a million dims of 1 and too much data
        TensorProto.Builder rank = TensorProto.newBuilder().setName("b").setDataType(1);
        for (int i = 0; i < 1_000_000; i++) {
            rank.addDims(1);
        }
        add("tensor_with_a_million_dims", withInitializer(1, rank.setRawData(ByteString.copyFrom(new byte[8])).build()));
        // 100,000 opset imports, one with version 0 at the end
        ModelProto.Builder opsets = valid().toBuilder();
        for (int i = 0; i < 100_000; i++) {
            opsets.addOpsetImport(opset("d" + i, 1));
        }
        add("many_opset_imports_last_invalid", opsets.addOpsetImport(opset("bad", 0)).build());
        // 600 MiB tensors declared without data: refused for the missing values before 600 MiB is allocated
        // (each is under the 1 GiB per-tensor limit; eight would also pass the 4 GiB total)
        GraphProto.Builder big = baseGraph();
        for (int i = 0; i < 8; i++) {
            big.addInitializer(TensorProto.newBuilder().setName("big" + i).setDataType(1).addDims(150L << 20).build());
        }
        add("eight_600_MiB_tensors_declared_without_data", big.build());
    }

    // ---- raw protobuf helpers ------------------------------------------------------------

    @FunctionalInterface
    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] bytes(Writer w) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bos);
        w.write(out);
        out.flush();
        return bos.toByteArray();
    }

    private static byte[] lengthDelimited(int field, byte[] payload) throws IOException {
        return bytes(out -> out.writeByteArray(field, payload));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
