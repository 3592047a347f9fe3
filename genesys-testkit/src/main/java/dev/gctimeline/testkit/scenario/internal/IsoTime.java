package dev.gctimeline.testkit.scenario.internal;

import java.time.LocalDate;

/** Formats epoch millis as {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, always with milliseconds, allocation-light. */
public final class IsoTime {
    private static final long DAY = 86_400_000L;

    private IsoTime() {
    }

    public static String format(long millis) {
        long day = Math.floorDiv(millis, DAY);
        int ms = (int) Math.floorMod(millis, DAY);
        LocalDate d = LocalDate.ofEpochDay(day);
        int year = d.getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("year out of range: " + year);
        }
        char[] c = new char[24];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, d.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, d.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, ms / 3_600_000, 2);
        c[13] = ':';
        digits(c, 14, ms / 60_000 % 60, 2);
        c[16] = ':';
        digits(c, 17, ms / 1000 % 60, 2);
        c[19] = '.';
        digits(c, 20, ms % 1000, 3);
        c[23] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
