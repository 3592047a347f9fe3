package dev.gctimeline.core.internal;

import dev.gctimeline.core.TimelineStore;
import dev.gctimeline.core.TimelineStoreProvider;
import java.util.Map;
import java.util.Set;

/**
 * The {@code memory} store provider. Options: {@code maxConversations} (default 100,000) and
 * {@code maxEventsPerConversation} (default 100,000); any other key is refused, so a typo cannot
 * silently leave a default in place.
 */
public final class MemoryTimelineStoreProvider implements TimelineStoreProvider {
    public static final String MAX_CONVERSATIONS = "maxConversations";
    public static final String MAX_EVENTS_PER_CONVERSATION = "maxEventsPerConversation";
    private static final Set<String> KNOWN = Set.of(MAX_CONVERSATIONS, MAX_EVENTS_PER_CONVERSATION);

    public MemoryTimelineStoreProvider() {
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public TimelineStore create(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("memory store: unknown option '" + key + "'; known options: "
                        + MAX_CONVERSATIONS + ", " + MAX_EVENTS_PER_CONVERSATION);
            }
        }
        return new MemoryTimelineStore(
                positive(options, MAX_CONVERSATIONS, MemoryTimelineStore.DEFAULT_MAX_CONVERSATIONS),
                positive(options, MAX_EVENTS_PER_CONVERSATION, MemoryTimelineStore.DEFAULT_MAX_EVENTS_PER_CONVERSATION));
    }

    private static int positive(Map<String, String> options, String key, int fallback) {
        String text = options.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip().replace("_", ""));
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("memory store: option " + key + " must be a whole number >= 1, got '" + text + "'");
    }
}
