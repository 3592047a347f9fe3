package dev.gctimeline.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The main job of bin/run, end to end on the embedded simulator. */
class MainTest {

    @Test
    void theEmbeddedRunReconstructsEveryConversationExactly() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Main.EmbeddedResult r = Main.runEmbedded(Main.Options.parse(new String[] {"--conversations", "15",
                "--seed", "5", "--speed", "600"}), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(15, r.conversations(), out);
        assertEquals(15, r.exact(), out);
        assertTrue(r.allExact(), out);
        assertEquals(15, r.finished().size(), "every conversation reached the completion listener");
        assertTrue(out.contains("15 of 15 stored timelines equal the simulator's ground truth"), out);
        assertTrue(out.contains("playback of conversation"), out);
    }

    @Test
    void flagsAreCheckedWithClearMessages() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Main.Options.parse(new String[] {"--nope", "1"}));
        assertTrue(unknown.getMessage().contains("--nope"));
        assertThrows(IllegalArgumentException.class, () -> Main.Options.parse(new String[] {"--speed"}));
        assertThrows(IllegalArgumentException.class,
                () -> Main.Options.parse(new String[] {"--store-option", "novalue"}));
        assertEquals("influx", Main.Options.parse(new String[] {"--store", "influx", "--store-option", "db=x"}).store());
    }
}
