package dev.gctimeline.store.influx.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reader of Flux's annotated CSV (the {@code /api/v2/query} answer): RFC 4180 fields (quoted with
 * {@code "}, doubled quotes inside, delimiters and line breaks inside quotes), annotation rows
 * ({@code #datatype}, {@code #group}, {@code #default}) before each header, an empty line between
 * tables whose schema differs, a leading annotation column, and the {@code error,reference} table
 * that reports a failure. Reads a character stream, so the bytes may arrive in any pieces.
 *
 * <pre>{@code for (AnnotatedCsv.Table t : AnnotatedCsv.read(in)) { t.rows().forEach(r -> ...); }}</pre>
 */
public final class AnnotatedCsv {
    private AnnotatedCsv() {
    }

    /** One table block: its columns (annotation column removed), their annotations, and its rows. */
    public static final class Table {
        final List<String> columns;
        final String[] datatypes;
        final boolean[] group;
        final String[] defaults;
        final List<String[]> rows = new ArrayList<>();

        Table(List<String> columns, String[] datatypes, boolean[] group, String[] defaults) {
            this.columns = columns;
            this.datatypes = datatypes;
            this.group = group;
            this.defaults = defaults;
        }

        public List<String> columns() {
            return columns;
        }

        public int column(String name) {
            return columns.indexOf(name);
        }

        /** The datatype annotation of a column, "string" if none. */
        public String datatype(int col) {
            return datatypes[col] == null || datatypes[col].isEmpty() ? "string" : datatypes[col];
        }

        public boolean inGroupKey(int col) {
            return group[col];
        }

        /** Raw rows (annotation column removed); use {@link #value} for the default rule. */
        public List<String[]> rows() {
            return rows;
        }

        /** The cell, or the column's {@code #default} when the cell is empty and a default is given. */
        public String value(String[] row, int col) {
            String v = col < row.length ? row[col] : "";
            if (v.isEmpty() && defaults[col] != null && !defaults[col].isEmpty()) {
                return defaults[col];
            }
            return v;
        }

        /** An error table: the {@code error} column Flux uses to report a failed query. */
        public boolean isError() {
            return columns.contains("error") && columns.contains("reference") && columns.size() <= 2;
        }
    }

    /** Reads every table of the answer. */
    public static List<Table> read(InputStream in) throws IOException {
        return read(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    public static List<Table> read(Reader in) throws IOException {
        Records r = new Records(in);
        List<Table> tables = new ArrayList<>();
        String[] datatype = null;
        String[] group = null;
        String[] defaults = null;
        Table current = null;
        List<String> rec;
        while ((rec = r.next()) != null) {
            if (rec.size() == 1 && rec.get(0).isEmpty()) {
                // blank line: a table boundary; annotations and a header follow
                current = null;
                datatype = group = defaults = null;
                continue;
            }
            String first = rec.get(0);
            if (first.startsWith("#")) {
                String[] values = rec.subList(1, rec.size()).toArray(new String[0]);
                switch (first) {
                    case "#datatype" -> datatype = values;
                    case "#group" -> group = values;
                    case "#default" -> defaults = values;
                    default -> {
                        // an annotation we do not use
                    }
                }
                current = null;
                continue;
            }
            if (current == null) {
                List<String> cols = new ArrayList<>(rec.subList(1, rec.size()));
                int n = cols.size();
                boolean[] g = new boolean[n];
                for (int i = 0; i < n && group != null && i < group.length; i++) {
                    g[i] = "true".equals(group[i]);
                }
                current = new Table(cols, fit(datatype, n), g, fit(defaults, n));
                tables.add(current);
                continue;
            }
            current.rows.add(rec.subList(1, rec.size()).toArray(new String[0]));
        }
        return tables;
    }

    private static String[] fit(String[] a, int n) {
        return a == null ? new String[n] : Arrays.copyOf(a, n);
    }

    /** RFC 4180 record splitter over a character stream. */
    static final class Records {
        private final Reader in;
        private final char[] buf = new char[8192];
        private int pos;
        private int lim;

        Records(Reader in) {
            this.in = in;
        }

        private int read() throws IOException {
            if (pos == lim) {
                lim = in.read(buf, 0, buf.length);
                pos = 0;
                if (lim <= 0) {
                    lim = 0;
                    return -1;
                }
            }
            return buf[pos++];
        }

        private void unread() {
            pos--;
        }

        /** The next record's fields, or null at the end. */
        List<String> next() throws IOException {
            int c = read();
            if (c == -1) {
                return null;
            }
            List<String> fields = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            while (true) {
                if (c == -1) {
                    if (quoted) {
                        throw new IOException("CSV ends inside a quoted field");
                    }
                    fields.add(f.toString());
                    return fields;
                }
                if (quoted) {
                    if (c == '"') {
                        int d = read();
                        if (d == '"') {
                            f.append('"');
                        } else {
                            quoted = false;
                            if (d != -1) {
                                unread();
                            }
                        }
                    } else {
                        f.append((char) c);
                    }
                } else if (c == '"' && f.length() == 0 && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                } else if (c == ',') {
                    fields.add(f.toString());
                    f.setLength(0);
                    wasQuoted = false;
                } else if (c == '\r') {
                    int d = read();
                    if (d != '\n' && d != -1) {
                        unread();
                    }
                    fields.add(f.toString());
                    return fields;
                } else if (c == '\n') {
                    fields.add(f.toString());
                    return fields;
                } else {
                    f.append((char) c);
                }
                c = read();
            }
        }
    }
}
