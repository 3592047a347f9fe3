package dev.gctimeline.stream.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.stream.GenesysEventStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopicPlanTest {

    private static List<String> conversation(String id) {
        return GenesysEventStream.conversationTopics(id, true); // 17 topics
    }

    private static List<String> queues(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("v2.routing.queues.q" + i + ".conversations");
        }
        return out;
    }

    @Test
    void fixedTopicsFirstThenWholeConversationsFillingEachChannelBeforeTheNext() {
        TopicPlan plan = new TopicPlan(60, 20);
        assertEquals(1, plan.placeFixed(queues(3)));
        assertEquals(0, plan.follow("c1", conversation("c1")));
        assertEquals(0, plan.follow("c2", conversation("c2")));
        assertEquals(0, plan.follow("c3", conversation("c3"))); // 3 + 51 = 54 of 60
        assertEquals(1, plan.follow("c4", conversation("c4")), "17 more do not fit: a conversation is never split");
        assertEquals(2, plan.channelCount());
        assertEquals(54, plan.topics(0).size());
        assertEquals(17, plan.topics(1).size());
        List<String> expected = new ArrayList<>(queues(3));
        expected.addAll(conversation("c1"));
        expected.addAll(conversation("c2"));
        expected.addAll(conversation("c3"));
        assertEquals(expected, plan.topics(0), "placement order");
        assertEquals(4, plan.followedCount());
    }

    @Test
    void followingTwiceKeepsTheFirstPlaceAndDuplicateFixedTopicsCountOnce() {
        TopicPlan plan = new TopicPlan(1_000, 20);
        List<String> fixed = new ArrayList<>(queues(2));
        fixed.addAll(queues(2));
        plan.placeFixed(fixed);
        assertEquals(2, plan.topics(0).size());
        int idx = plan.follow("c1", conversation("c1"));
        assertEquals(idx, plan.follow("c1", conversation("c1")));
        assertEquals(2 + 17, plan.topics(0).size());
        assertEquals(1, plan.followedCount());
        assertTrue(plan.following("c1"));
        assertFalse(plan.following("c2"));
    }

    @Test
    void genesysLimitsAreNeverExceeded() {
        TopicPlan plan = new TopicPlan(TopicPlan.MAX_TOPICS_PER_CHANNEL, TopicPlan.MAX_CHANNELS);
        plan.placeFixed(queues(50));
        int followed = 0;
        while (plan.follow("c" + followed, conversation("c" + followed)) >= 0) {
            followed++;
        }
        // 1,000 / 17 = 58 conversations a channel; the first channel holds 50 queue topics too (55).
        assertEquals(55 + 19 * 58, followed);
        assertEquals(20, plan.channelCount());
        for (int i = 0; i < plan.channelCount(); i++) {
            assertTrue(plan.topics(i).size() <= 1_000, "channel " + i + ": " + plan.topics(i).size());
        }
        assertEquals(-1, plan.follow("one-more", conversation("one-more")), "every channel full");
        assertFalse(plan.following("one-more"));
    }

    @Test
    void unfollowFreesRoomForTheNextConversation() {
        TopicPlan plan = new TopicPlan(40, 2);
        plan.placeFixed(queues(1));
        assertEquals(0, plan.follow("a", conversation("a")));
        assertEquals(0, plan.follow("b", conversation("b"))); // 35 of 40
        assertEquals(1, plan.follow("c", conversation("c")));
        assertEquals(1, plan.follow("d", conversation("d")));
        assertEquals(-1, plan.follow("e", conversation("e")), "both channels full, no third allowed");
        assertEquals(0, plan.unfollow("a"));
        assertFalse(plan.topics(0).contains(conversation("a").get(0)));
        assertEquals(0, plan.follow("e", conversation("e")), "the freed room is used");
        assertEquals(-1, plan.unfollow("a"), "not followed any more");
        assertEquals(-1, plan.unfollow("never"));
        assertEquals(1, plan.unfollow("c"));
        assertEquals(3, plan.followedCount());
    }

    @Test
    void optionsOutsideGenesysLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TopicPlan(1_001, 20));
        assertThrows(IllegalArgumentException.class, () -> new TopicPlan(0, 20));
        assertThrows(IllegalArgumentException.class, () -> new TopicPlan(1_000, 21));
        assertThrows(IllegalArgumentException.class, () -> new TopicPlan(1_000, 0));
        TopicPlan small = new TopicPlan(10, 2);
        assertThrows(IllegalArgumentException.class, () -> small.placeFixed(queues(21)));
        TopicPlan plan = new TopicPlan(10, 2);
        assertEquals(-1, plan.follow("c", conversation("c")), "a conversation larger than a channel cannot be placed");
    }

    @Test
    void randomFollowsAndUnfollowsKeepEveryInvariant() {
        Random r = new Random(42);
        TopicPlan plan = new TopicPlan(100, 5);
        plan.placeFixed(queues(7));
        Map<String, Integer> model = new HashMap<>();
        for (int step = 0; step < 20_000; step++) {
            String id = "c" + r.nextInt(60);
            if (r.nextBoolean()) {
                int idx = plan.follow(id, conversation(id));
                if (model.containsKey(id)) {
                    assertEquals(model.get(id), idx);
                } else if (idx >= 0) {
                    model.put(id, idx);
                }
            } else {
                assertEquals(model.getOrDefault(id, -1), plan.unfollow(id));
                model.remove(id);
            }
            if (step % 97 == 0) {
                Set<String> all = new HashSet<>();
                for (int i = 0; i < plan.channelCount(); i++) {
                    List<String> topics = plan.topics(i);
                    assertTrue(topics.size() <= 100);
                    assertEquals(topics.size(), new LinkedHashSet<>(topics).size(), "no topic twice on a channel");
                    all.addAll(topics);
                }
                Set<String> expected = new HashSet<>(queues(7));
                model.forEach((c, idx) -> {
                    expected.addAll(conversation(c));
                    assertTrue(plan.topics(idx).containsAll(conversation(c)), "a whole conversation on its channel");
                });
                assertEquals(expected, all);
                assertEquals(model.size(), plan.followedCount());
            }
        }
        assertTrue(plan.channelCount() <= 5);
    }
}
