package dev.gctimeline.store.influx.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Annotated CSV as InfluxDB 2 documents it, read whole and split at every byte. */
class AnnotatedCsvTest {

    /** The documentation's two-schema example, plus a quoted value with a comma, quotes and a line break. */
    static final String DOC = "#group,false,false,true,true,false,false,true,true,true,true\r\n"
            + "#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string,string,string,string\r\n"
            + "#default,_result,,,,,,,,,\r\n"
            + ",result,table,_start,_stop,_time,_value,_field,_measurement,host,region\r\n"
            + ",,0,2022-12-31T05:41:24Z,2023-01-31T05:41:24.001Z,2023-01-01T00:00:00Z,15.43,mem,m,A,east\r\n"
            + ",,1,2022-12-31T05:41:24Z,2023-01-31T05:41:24.001Z,2023-01-01T00:00:00Z,59.25,mem,m,B,east\r\n"
            + "\r\n"
            + "#group,false,false,true,true,true,true,false,false,true,true\r\n"
            + "#datatype,string,long,string,string,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,string,string,string\r\n"
            + "#default,_result,,,,,,,,,\r\n"
            + ",result,table,_field,_measurement,_start,_stop,_time,_value,host,region\r\n"
            + ",,3,mem_level,m,2022-12-31T05:41:24Z,2023-01-31T05:41:24.001Z,2023-01-01T00:00:00Z,\"a, \"\"quoted\"\"\r\nvalue 😀\",A,east\r\n"
            + ",,4,mem_level,m,2022-12-31T05:41:24Z,2023-01-31T05:41:24.001Z,2023-01-01T00:00:00Z,,B,east\r\n"
            + "\r\n";

    private static void checkDoc(List<AnnotatedCsv.Table> tables) {
        assertEquals(2, tables.size());
        AnnotatedCsv.Table a = tables.get(0);
        assertEquals(List.of("result", "table", "_start", "_stop", "_time", "_value", "_field", "_measurement", "host", "region"),
                a.columns());
        assertEquals(2, a.rows().size());
        assertEquals("_result", a.value(a.rows().get(0), a.column("result")), "#default fills an empty cell");
        assertEquals("double", a.datatype(a.column("_value")));
        assertTrue(a.inGroupKey(a.column("host")));
        assertFalse(a.inGroupKey(a.column("_value")));
        AnnotatedCsv.Table b = tables.get(1);
        assertEquals("a, \"quoted\"\r\nvalue 😀", b.value(b.rows().get(0), b.column("_value")));
        assertEquals("", b.value(b.rows().get(1), b.column("_value")), "an empty string stays empty");
        assertEquals("B", b.value(b.rows().get(1), b.column("host")));
    }

    @Test
    void readsTheDocumentedShape() throws IOException {
        checkDoc(AnnotatedCsv.read(new ByteArrayInputStream(DOC.getBytes(StandardCharsets.UTF_8))));
        checkDoc(AnnotatedCsv.read(new ByteArrayInputStream(DOC.replace("\r\n", "\n").replace("\"a, \"\"quoted\"\"\n",
                "\"a, \"\"quoted\"\"\r\n").getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void anyByteSplitGivesTheSameTables() throws IOException {
        byte[] all = DOC.getBytes(StandardCharsets.UTF_8);
        List<AnnotatedCsv.Table> whole = AnnotatedCsv.read(new ByteArrayInputStream(all));
        for (int split = 0; split <= all.length; split++) {
            InputStream in = new SequenceInputStream(new ByteArrayInputStream(Arrays.copyOfRange(all, 0, split)),
                    new OneByteAtATime(Arrays.copyOfRange(all, split, all.length)));
            List<AnnotatedCsv.Table> parts = AnnotatedCsv.read(in);
            assertEquals(whole.size(), parts.size(), "split at " + split);
            for (int t = 0; t < whole.size(); t++) {
                assertEquals(whole.get(t).columns(), parts.get(t).columns());
                assertEquals(whole.get(t).rows().size(), parts.get(t).rows().size());
                for (int r = 0; r < whole.get(t).rows().size(); r++) {
                    assertArrayEquals(whole.get(t).rows().get(r), parts.get(t).rows().get(r), "split at " + split);
                }
            }
            checkDoc(parts);
        }
    }

    @Test
    void recognisesTheErrorTable() throws IOException {
        String err = "#datatype,string,long\r\n,error,reference\r\n,\"failed to parse query: expected RPAREN\",897\r\n";
        List<AnnotatedCsv.Table> t = AnnotatedCsv.read(new ByteArrayInputStream(err.getBytes(StandardCharsets.UTF_8)));
        assertTrue(t.get(0).isError());
        assertEquals("failed to parse query: expected RPAREN", t.get(0).value(t.get(0).rows().get(0), 0));
    }

    @Test
    void anUnterminatedQuoteIsAnError() {
        assertThrows(IOException.class, () -> AnnotatedCsv.read(new ByteArrayInputStream(",a\n,\"open".getBytes(StandardCharsets.UTF_8))));
    }

    /** Hands out one byte per read, so every later boundary is a split too. */
    static final class OneByteAtATime extends InputStream {
        private final byte[] b;
        private int i;

        OneByteAtATime(byte[] b) {
            this.b = b;
        }

        @Override
        public int read() {
            return i < b.length ? b[i++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            if (i >= b.length) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            dst[off] = b[i++];
            return 1;
        }
    }

    @Test
    void listsStayIndependentOfTheReadBuffer() throws IOException {
        StringBuilder big = new StringBuilder("#datatype,string,long\n,result,table\n");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            big.append(",r").append(i).append(',').append(i).append('\n');
            expected.add("r" + i);
        }
        AnnotatedCsv.Table t = AnnotatedCsv.read(new ByteArrayInputStream(big.toString().getBytes(StandardCharsets.UTF_8))).get(0);
        List<String> got = new ArrayList<>();
        t.rows().forEach(r -> got.add(r[0]));
        assertEquals(expected, got);
    }
}
