package dev.gctimeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.EventIds;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConversationOwnershipTest {

    @Test
    void everyConversationHasExactlyOneOwnerAndTheSplitIsEven() {
        for (int instances = 1; instances <= 7; instances++) {
            ConversationOwnership[] owners = new ConversationOwnership[instances];
            for (int i = 0; i < instances; i++) {
                owners[i] = ConversationOwnership.hashed(i, instances);
            }
            int[] counts = new int[instances];
            java.util.Random random = new java.util.Random(instances);
            int n = 20_000;
            for (int k = 0; k < n; k++) {
                String id = new UUID(random.nextLong(), random.nextLong()).toString();
                int owning = 0;
                for (int i = 0; i < instances; i++) {
                    if (owners[i].owns(id)) {
                        owning++;
                        counts[i]++;
                    }
                }
                assertEquals(1, owning, id);
            }
            for (int c : counts) {
                assertTrue(Math.abs(c - n / instances) < n / instances / 10, java.util.Arrays.toString(counts));
            }
        }
    }

    @Test
    void theHashIsCoresStableEventIdHash() {
        // Part of the contract between instances (and releases): pin the formula.
        String id = "8a7f1e52-3c4b-4d0e-9f6a-1b2c3d4e5f60";
        long h = EventIds.of(id);
        for (int n = 1; n < 10; n++) {
            int owner = (int) Long.remainderUnsigned(h, n);
            assertTrue(ConversationOwnership.hashed(owner, n).owns(id));
        }
        assertTrue(ConversationOwnership.all().owns(id));
        assertEquals("conversations hashed to 1 of 3", ConversationOwnership.hashed(1, 3).toString());
    }

    @Test
    void badInstancesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ConversationOwnership.hashed(2, 2));
        assertThrows(IllegalArgumentException.class, () -> ConversationOwnership.hashed(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> ConversationOwnership.hashed(0, 0));
    }
}
