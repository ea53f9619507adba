package org.cimq.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.onnx.proto.OnnxSchema.AttributeProto;
import org.cimq.onnx.proto.OnnxSchema.GraphProto;
import org.cimq.onnx.proto.OnnxSchema.ModelProto;
import org.cimq.onnx.proto.OnnxSchema.StringStringEntry;
import org.cimq.onnx.proto.OnnxSchema.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImporterDetailsTest {
    @TempDir
    Path tmp;

    private Path write(ModelProto m, String name) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, m.toByteArray());
        return p;
    }

    @Test
    void typedFieldsFloat16AndInt64AreDecoded() throws Exception {
        TensorProto half = TensorProto.newBuilder().setName("h").setDataType(10).addDims(2)
                .addInt32Data(0x3C00).addInt32Data(0xC000).build(); // 1.0, -2.0
        TensorProto longs = TensorProto.newBuilder().setName("l").setDataType(7).addDims(3)
                .addInt64Data(5).addInt64Data(-1).addInt64Data(1L << 40).build();
        ModelProto.Builder mb = ProtoFixtures.reluAddModel();
        mb.setGraph(mb.getGraph().toBuilder().addInitializer(half).addInitializer(longs));
        Model m = OnnxImporter.load(write(mb.build(), "typed.onnx"));
        Tensor h = m.graph().initializers().get("h").constant();
        assertEquals(DType.FLOAT16, h.dtype());
        assertArrayEquals(new double[] {1.0, -2.0}, h.toDoubleArray());
        assertArrayEquals(new long[] {5, -1, 1L << 40}, m.graph().initializers().get("l").constant().toLongArray());
    }

    @Test
    void everyAttributeKindAndUnknownFieldsSurviveARoundTrip() throws Exception {
        UnknownFieldSet extra = UnknownFieldSet.newBuilder()
                .addField(999, UnknownFieldSet.Field.newBuilder().addVarint(42).build()).build();
        GraphProto sub = GraphProto.newBuilder().setName("body")
                .addNode(ProtoFixtures.node("Neg", "n", new String[] {"x"}, new String[] {"z"}))
                .addOutput(ProtoFixtures.floatInfo("z", "batch", 2)).build();
        Node withAttrs;
        ModelProto.Builder mb = ProtoFixtures.reluAddModel();
        GraphProto.Builder g = mb.getGraph().toBuilder();
        g.setNode(0, g.getNode(0).toBuilder()
                .addAttribute(AttributeProto.newBuilder().setName("f").setType(AttributeProto.AttributeType.FLOAT).setF(0.5f))
                .addAttribute(AttributeProto.newBuilder().setName("i").setI(7)) // no type field: inferred
                .addAttribute(AttributeProto.newBuilder().setName("s").setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8("SAME_UPPER")))
                .addAttribute(AttributeProto.newBuilder().setName("ints").setType(AttributeProto.AttributeType.INTS).addInts(1).addInts(2))
                .addAttribute(AttributeProto.newBuilder().setName("floats").setType(AttributeProto.AttributeType.FLOATS).addFloats(1.5f))
                .addAttribute(AttributeProto.newBuilder().setName("strs").setType(AttributeProto.AttributeType.STRINGS).addStrings(ByteString.copyFromUtf8("a")))
                .addAttribute(AttributeProto.newBuilder().setName("t").setType(AttributeProto.AttributeType.TENSOR).setT(ProtoFixtures.rawFloats("", new long[] {1}, 3f)))
                .addAttribute(AttributeProto.newBuilder().setName("g").setType(AttributeProto.AttributeType.GRAPH).setG(sub))
                .setUnknownFields(extra));
        mb.setGraph(g).setUnknownFields(extra).addMetadataProps(StringStringEntry.newBuilder().setKey("k").setValue("v"));
        Path p = write(mb.build(), "attrs.onnx");
        Model m = OnnxImporter.load(p);
        withAttrs = m.graph().nodes().stream().filter(n -> n.opType().equals("Relu")).findFirst().orElseThrow();
        assertEquals(0.5f, withAttrs.attrFloat("f", 0));
        assertEquals(7, withAttrs.attrInt("i", 0));
        assertEquals("SAME_UPPER", withAttrs.attrString("s", ""));
        assertArrayEquals(new long[] {1, 2}, withAttrs.attrInts("ints", null));
        assertArrayEquals(new float[] {1.5f}, withAttrs.attrFloats("floats", null));
        assertInstanceOf(Attr.StringsAttr.class, withAttrs.attr("strs"));
        assertArrayEquals(new float[] {3f}, withAttrs.attrTensor("t").toFloatArray());
        Attr.GraphAttr ga = assertInstanceOf(Attr.GraphAttr.class, withAttrs.attr("g"));
        assertEquals("x", ga.value().nodes().get(0).input(0).name(), "outer-scope reference resolved by name");
        assertEquals("v", m.metadata().get("k"));

        ModelProto back = ModelProto.parseFrom(OnnxWriter.toBytes(m));
        assertEquals(42L, back.getUnknownFields().getField(999).getVarintList().get(0));
        assertEquals(42L, back.getGraph().getNode(0).getUnknownFields().getField(999).getVarintList().get(0));
        assertEquals(mb.build().getGraph().getNode(0).getAttributeCount(), back.getGraph().getNode(0).getAttributeCount());
    }

    @Test
    void externalDataIsReadRelativeToTheModelAndRefusedOutsideIt() throws Exception {
        Files.write(tmp.resolve("weights.bin"), new byte[] {0, 0, 0, 0, 0, 0, (byte) 0x80, 0x3F, 0, 0, 0, 0x40}); // pad, 1.0, 2.0
        TensorProto ext = TensorProto.newBuilder().setName("e").setDataType(1).addDims(2)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntry.newBuilder().setKey("location").setValue("weights.bin"))
                .addExternalData(StringStringEntry.newBuilder().setKey("offset").setValue("4"))
                .addExternalData(StringStringEntry.newBuilder().setKey("length").setValue("8")).build();
        ModelProto.Builder mb = ProtoFixtures.reluAddModel();
        mb.setGraph(mb.getGraph().toBuilder().addInitializer(ext));
        Model m = OnnxImporter.load(write(mb.build(), "ext.onnx"));
        assertArrayEquals(new float[] {1f, 2f}, m.graph().initializers().get("e").constant().toFloatArray());

        for (String bad : new String[] {"../weights.bin", "/etc/passwd", "sub/../../x.bin"}) {
            TensorProto evil = ext.toBuilder().setExternalData(0, StringStringEntry.newBuilder().setKey("location").setValue(bad)).build();
            ModelProto.Builder eb = ProtoFixtures.reluAddModel();
            eb.setGraph(eb.getGraph().toBuilder().addInitializer(evil));
            Path p = write(eb.build(), "evil.onnx");
            OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxImporter.load(p));
            assertTrue(e.getMessage().contains("initializer 'e'") && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void structuralErrorsNameTheNodeOrValue() throws Exception {
        ModelProto ok = ProtoFixtures.reluAddModel().build();
        GraphProto g = ok.getGraph();
        // dangling input
        ModelProto dangling = ok.toBuilder().setGraph(g.toBuilder().setNode(1,
                ProtoFixtures.node("Add", "add", new String[] {"r", "nope"}, new String[] {"y"}))).build();
        assertMessage(dangling, "Add node 'add'", "'nope'");
        // duplicate output name
        ModelProto dup = ok.toBuilder().setGraph(g.toBuilder().setNode(1,
                ProtoFixtures.node("Add", "add", new String[] {"r", "w"}, new String[] {"r"}))).build();
        assertMessage(dup, "output 'r' is already defined", "relu");
        // cycle
        ModelProto cyc = ok.toBuilder().setGraph(g.toBuilder()
                .setNode(0, ProtoFixtures.node("Relu", "relu", new String[] {"y"}, new String[] {"r"}))).build();
        assertMessage(cyc, "cycle", "node");
        // wrong raw_data size
        ModelProto size = ok.toBuilder().setGraph(g.toBuilder().setInitializer(0,
                g.getInitializer(0).toBuilder().clearDims().addDims(3))).build();
        assertMessage(size, "initializer 'w'", "declare 3 elements");
        // negative dims
        ModelProto neg = ok.toBuilder().setGraph(g.toBuilder().setInitializer(0,
                g.getInitializer(0).toBuilder().clearDims().addDims(-2))).build();
        assertMessage(neg, "initializer 'w'", "negative");
        // huge declared dims are refused before allocation
        ModelProto huge = ok.toBuilder().setGraph(g.toBuilder().setInitializer(0,
                g.getInitializer(0).toBuilder().clearDims().addDims(1L << 20).addDims(1L << 20))).build();
        assertMessage(huge, "initializer 'w'", "limit");
        // undeclared output
        ModelProto noOut = ok.toBuilder().setGraph(g.toBuilder().setOutput(0, ProtoFixtures.floatInfo("ghost", 1))).build();
        assertMessage(noOut, "output 'ghost'", "not produced");
    }

    private void assertMessage(ModelProto m, String... parts) throws Exception {
        Path p = write(m, "bad.onnx");
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxImporter.load(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }
}
