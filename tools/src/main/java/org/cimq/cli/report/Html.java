package org.cimq.cli.report;

import java.util.List;

/** Small helpers for writing well-formed (XML-parsable) HTML: escaping, tables. */
final class Html {
    private Html() {
    }

    static String esc(Object o) {
        String s = String.valueOf(o);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A table with a header row; cells are escaped, those starting with a digit or sign and a digit are right-aligned. */
    static void table(StringBuilder out, String cssClass, List<String> header, List<List<Object>> rows) {
        out.append("<table class=\"").append(esc(cssClass)).append("\">\n<thead><tr>");
        header.forEach(h -> out.append("<th>").append(esc(h)).append("</th>"));
        out.append("</tr></thead>\n<tbody>\n");
        for (List<Object> r : rows) {
            out.append("<tr>");
            for (Object c : r) {
                String s = String.valueOf(c);
                out.append(numeric(s) ? "<td class=\"num\">" : "<td>").append(esc(s)).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private static boolean numeric(String s) {
        return !s.isEmpty() && (Character.isDigit(s.charAt(0))
                || (s.length() > 1 && (s.charAt(0) == '-' || s.charAt(0) == '−') && Character.isDigit(s.charAt(1))));
    }
}
