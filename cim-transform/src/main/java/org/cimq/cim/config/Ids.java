package org.cimq.cim.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Parsing of the textual ids that the configuration's enums use in files and on the CLI. */
final class Ids {
    private Ids() {
    }

    static <E extends Enum<E>> E parse(String field, String value, E[] values, Function<E, String> id) {
        if (value != null) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            for (E e : values) {
                if (id.apply(e).equals(v)) {
                    return e;
                }
            }
        }
        throw new CimConfigException(field + ": expected one of " + list(values, id) + ", got "
                + (value == null ? "nothing" : "'" + value + "'"));
    }

    static <E extends Enum<E>> String list(E[] values, Function<E, String> id) {
        return Arrays.stream(values).map(id).collect(Collectors.joining(", "));
    }
}
