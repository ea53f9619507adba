package org.cimq.ir;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A node attribute as a typed value, one record per ONNX attribute kind. Lists are
 * immutable. Kinds cimq does not interpret (sparse tensors, type protos) are kept as the
 * serialized AttributeProto in {@link Opaque} so that they survive a round trip.
 */
public sealed interface Attr {
    record FloatAttr(float value) implements Attr { }

    record IntAttr(long value) implements Attr { }

    /** An ONNX string attribute: bytes, normally UTF-8. */
    record StringAttr(byte[] bytes) implements Attr {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public static StringAttr of(String s) {
            return new StringAttr(s.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StringAttr s && java.util.Arrays.equals(bytes, s.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return '"' + text() + '"';
        }
    }

    record TensorAttr(Tensor value) implements Attr { }

    record GraphAttr(Graph value) implements Attr { }

    record FloatsAttr(List<Float> values) implements Attr {
        public FloatsAttr {
            values = List.copyOf(values);
        }
    }

    record IntsAttr(List<Long> values) implements Attr {
        public IntsAttr {
            values = List.copyOf(values);
        }

        public static IntsAttr of(long... v) {
            return new IntsAttr(java.util.Arrays.stream(v).boxed().toList());
        }

        public long[] toArray() {
            return values.stream().mapToLong(Long::longValue).toArray();
        }
    }

    record StringsAttr(List<String> values) implements Attr {
        public StringsAttr {
            values = List.copyOf(values);
        }
    }

    record TensorsAttr(List<Tensor> values) implements Attr {
        public TensorsAttr {
            values = List.copyOf(values);
        }
    }

    record GraphsAttr(List<Graph> values) implements Attr {
        public GraphsAttr {
            values = List.copyOf(values);
        }
    }

    /** An attribute kind cimq does not interpret, kept as its serialized AttributeProto. */
    record Opaque(int onnxType, byte[] attributeProto) implements Attr {
        @Override
        public boolean equals(Object o) {
            return o instanceof Opaque p && p.onnxType == onnxType && java.util.Arrays.equals(attributeProto, p.attributeProto);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(attributeProto);
        }
    }
}
