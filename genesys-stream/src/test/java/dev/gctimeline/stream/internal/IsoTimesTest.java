package dev.gctimeline.stream.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast ISO-8601 path agrees with {@code Instant.parse} on every input, or defers to it. */
class IsoTimesTest {

    private static long parse(String s) {
        return IsoTimes.parse(s.toCharArray(), 0, s.length(), "t");
    }

    @Test
    void agreesWithInstantParseOnRandomInstantsFractionsAndOffsets() {
        Random random = new Random(1);
        String[] fractions = {"", ".1", ".12", ".123", ".1234", ".123456", ".123456789"};
        for (int i = 0; i < 50_000; i++) {
            long seconds = random.nextLong() % 10_000_000_000L; // about 1653 to 2286
            int offsetMinutes = (random.nextInt(37) - 18) * 60 + (random.nextBoolean() ? 0 : 30);
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(Math.max(-18 * 3600, Math.min(18 * 3600, offsetMinutes * 60)));
            String base = Instant.ofEpochSecond(seconds).atOffset(offset)
                    .format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss"));
            String zone = offset.getTotalSeconds() == 0 && random.nextBoolean() ? "Z" : offset.getId();
            String s = base + fractions[random.nextInt(fractions.length)] + zone;
            if (s.startsWith("-") || s.startsWith("+")) {
                continue;
            }
            assertEquals(Instant.parse(s).toEpochMilli(), parse(s), s);
        }
    }

    @Test
    void unusualFormsFallBackToInstantParse() {
        for (String s : new String[] {"2026-11-22T23:59:60Z", "2026-11-22t10:00:00z", "+12026-11-22T10:00:00Z",
            "1969-12-31T23:59:59.999Z", "2024-02-29T00:00:00Z", "2026-11-22T10:00:00+18:00"}) {
            assertEquals(Instant.parse(s).toEpochMilli(), parse(s), s);
        }
    }

    @Test
    void digitsAreEpochMillisAndGarbageIsInvalid() {
        assertEquals(1_795_341_600_000L, parse("1795341600000"));
        for (String bad : new String[] {"2026-02-30T10:00:00Z", "2026-11-22T10:00Z", "yesterday", "", "2026-11-22T10:00:00",
            "2026-11-22T10:00:00.1234567890Z"}) {
            DecodeRejection r = assertThrows(DecodeRejection.class, () -> parse(bad), bad);
            assertEquals(dev.gctimeline.core.RejectReason.INVALID_VALUE, r.reason);
        }
    }
}
