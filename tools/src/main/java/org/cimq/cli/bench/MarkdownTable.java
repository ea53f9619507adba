package org.cimq.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A GitHub-flavoured Markdown table; columns after the first are right-aligned. */
final class MarkdownTable {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    MarkdownTable(String... header) {
        this.header = header;
    }

    MarkdownTable row(String... cells) {
        rows.add(cells);
        return this;
    }

    void print(PrintWriter out) {
        out.println("| " + String.join(" | ", header) + " |");
        StringBuilder sep = new StringBuilder("|");
        for (int i = 0; i < header.length; i++) {
            sep.append(i == 0 ? "---|" : "---:|");
        }
        out.println(sep);
        for (String[] r : rows) {
            out.println("| " + String.join(" | ", r) + " |");
        }
    }
}
