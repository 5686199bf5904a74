package dev.troupe.cli.view;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Columns padded to their widest cell: text columns left-aligned (the first by default), numbers right-aligned. */
public final class TextTable {

    private final List<List<String>> rows = new ArrayList<>();
    private final Set<Integer> left = new HashSet<>(Set.of(0));

    /** Left-aligns these columns (0-based) too. */
    public TextTable leftAligned(int... columns) {
        for (int column : columns) {
            left.add(column);
        }
        return this;
    }

    public TextTable row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    /** Every row on its own line, each indented by {@code indent}. */
    public String render(String indent) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                String pad = " ".repeat(widths[i] - cell.length());
                line.append(i > 0 ? "  " : "");
                if (left.contains(i)) {
                    line.append(cell).append(pad);
                } else {
                    line.append(pad).append(cell);
                }
            }
            text.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return text.toString();
    }
}
