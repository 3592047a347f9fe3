package dev.gctimeline.testkit.scenario.internal;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.UUID;

/** Version-4-shaped UUID strings drawn from a {@link SplittableRandom}, so ids follow the seed. */
public final class Ids {
    private Ids() {
    }

    public static String uuid(SplittableRandom r) {
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }

    /** A fixed id for a name (defaults that must not change with the seed: queues, agents, codes). */
    public static String named(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
