package dev.gctimeline.stream.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 instants to epoch milliseconds, exactly as {@code Instant.parse(s).toEpochMilli()}.
 *
 * <p>Snapshots carry a dozen timestamps each, and {@code Instant.parse} allocates a parse context
 * per call, so the usual form ({@code 2026-11-22T10:00:00.123Z}, optional fraction of 1 to 9
 * digits, {@code Z} or {@code +hh:mm}) is parsed here directly from the chars; anything else
 * (leap second, lower-case letters, wider years, ...) falls back to {@code Instant.parse}, so the
 * result never differs.
 */
final class IsoTimes {
    static final long ABSENT = Long.MIN_VALUE;

    private IsoTimes() {
    }

    /** Epoch millis of the ISO instant in {@code a[off, off+len)}; throws {@link DecodeRejection}. */
    static long parse(char[] a, int off, int len, String field) {
        long fast = fast(a, off, len);
        if (fast != ABSENT) {
            return fast;
        }
        String s = new String(a, off, len);
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            if (len > 0 && len <= 19 && allDigits(a, off, len)) {
                return Long.parseLong(s); // epoch millis written as a string
            }
            throw DecodeRejection.invalid(field + " is not an ISO-8601 instant");
        }
    }

    private static boolean allDigits(char[] a, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (a[i] < '0' || a[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** The common form, or {@link #ABSENT} to let {@code Instant.parse} decide. */
    static long fast(char[] a, int off, int len) {
        if (len < 20 || a[off + 4] != '-' || a[off + 7] != '-' || a[off + 10] != 'T' || a[off + 13] != ':'
                || a[off + 16] != ':') {
            return ABSENT;
        }
        int year = digits(a, off, 4);
        int month = digits(a, off + 5, 2);
        int day = digits(a, off + 8, 2);
        int hour = digits(a, off + 11, 2);
        int minute = digits(a, off + 14, 2);
        int second = digits(a, off + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return ABSENT;
        }
        int i = off + 19;
        int end = off + len;
        int millis = 0;
        if (a[i] == '.') {
            i++;
            int n = 0;
            while (i < end && a[i] >= '0' && a[i] <= '9') {
                if (n < 3) {
                    millis = millis * 10 + (a[i] - '0');
                }
                n++;
                i++;
            }
            if (n == 0 || n > 9) {
                return ABSENT;
            }
            for (int k = n; k < 3; k++) {
                millis *= 10;
            }
        }
        int offsetSeconds;
        if (i == end - 1 && a[i] == 'Z') {
            offsetSeconds = 0;
        } else if (i == end - 6 && (a[i] == '+' || a[i] == '-') && a[i + 3] == ':') {
            int oh = digits(a, i + 1, 2);
            int om = digits(a, i + 4, 2);
            if (oh < 0 || oh > 17 || om < 0 || om > 59) {
                return ABSENT;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (a[i] == '-' ? -1 : 1);
        } else {
            return ABSENT;
        }
        long seconds = daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second
                - offsetSeconds;
        return seconds * 1000L + millis;
    }

    private static int digits(char[] a, int off, int n) {
        int v = 0;
        for (int i = off; i < off + n; i++) {
            char c = a[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int lengthOfMonth(int y, int m) {
        switch (m) {
            case 2:
                return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static long daysFromCivil(long y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }
}
