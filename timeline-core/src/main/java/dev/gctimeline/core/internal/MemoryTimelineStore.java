package dev.gctimeline.core.internal;

import dev.gctimeline.core.ConversationState;
import dev.gctimeline.core.ConversationSummary;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.core.TimelineStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The embedded {@code memory} store: timelines in the heap, bounded, thread-safe.
 *
 * <p>Append is idempotent per (conversation, event id): a repeat of a stored id is ignored,
 * whatever its other fields. Bounds, both counted and logged (at a limited rate) when hit:
 * <ul>
 *   <li>at {@code maxConversations}, a new conversation makes room by dropping the conversation
 *       that was <em>appended to least recently</em> (reads do not count as use), with its events
 *       and completed state ({@link #droppedConversations()});</li>
 *   <li>at {@code maxEventsPerConversation}, further new events of that conversation are not kept
 *       ({@link #droppedEvents()}).</li>
 * </ul>
 * One lock guards everything: the pipeline has one writer thread, and readers are playback calls.
 */
public final class MemoryTimelineStore implements TimelineStore {
    public static final int DEFAULT_MAX_CONVERSATIONS = 100_000;
    public static final int DEFAULT_MAX_EVENTS_PER_CONVERSATION = 100_000;

    private static final System.Logger LOG = System.getLogger(MemoryTimelineStore.class.getName());
    private static final Comparator<ConversationSummary> MOST_RECENT_FIRST =
            Comparator.comparingLong(ConversationSummary::lastEventTime).reversed()
                    .thenComparing(ConversationSummary::conversationId);

    private final int maxConversations;
    private final int maxEventsPerConversation;
    private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(10));
    private final Object lock = new Object();
    /** Insertion order = order of last append: the first entry is the least recently appended. */
    private final LinkedHashMap<String, Conversation> conversations = new LinkedHashMap<>();
    private Conversation mostRecent;
    private long droppedConversations;
    private long droppedEvents;
    private boolean closed;

    public MemoryTimelineStore() {
        this(DEFAULT_MAX_CONVERSATIONS, DEFAULT_MAX_EVENTS_PER_CONVERSATION);
    }

    public MemoryTimelineStore(int maxConversations, int maxEventsPerConversation) {
        if (maxConversations < 1 || maxEventsPerConversation < 1) {
            throw new IllegalArgumentException("memory store bounds must be >= 1, got maxConversations="
                    + maxConversations + ", maxEventsPerConversation=" + maxEventsPerConversation);
        }
        this.maxConversations = maxConversations;
        this.maxEventsPerConversation = maxEventsPerConversation;
    }

    @Override
    public void append(List<TimelineEvent> events) {
        synchronized (lock) {
            checkOpen();
            for (TimelineEvent e : events) {
                Conversation c = touch(e.conversationId());
                if (c.byId.containsKey(e.eventId())) {
                    continue;
                }
                if (c.byId.size() >= maxEventsPerConversation) {
                    droppedEvents++;
                    rateLimited.log(System.Logger.Level.WARNING, "events-per-conversation", () ->
                            "memory store: conversation " + e.conversationId() + " reached maxEventsPerConversation="
                                    + maxEventsPerConversation + "; further events are not kept (counted)");
                    continue;
                }
                c.byId.put(e.eventId(), e);
                c.timeline = null;
                c.first = Math.min(c.first, e.eventTime());
                c.last = Math.max(c.last, e.eventTime());
            }
        }
    }

    @Override
    public void completed(ConversationState state) {
        synchronized (lock) {
            checkOpen();
            touch(state.conversationId()).completed = state;
        }
    }

    @Override
    public Timeline timeline(String conversationId) {
        synchronized (lock) {
            checkOpen();
            Conversation c = conversations.get(conversationId);
            return c == null ? Timeline.empty(conversationId) : c.timeline();
        }
    }

    @Override
    public List<ConversationSummary> conversations(long fromMillis, long toMillis, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        List<ConversationSummary> found = new ArrayList<>();
        synchronized (lock) {
            checkOpen();
            for (Conversation c : conversations.values()) {
                if (!c.byId.isEmpty() && c.hasEventIn(fromMillis, toMillis)) {
                    found.add(new ConversationSummary(c.id, c.first, c.last, c.byId.size()));
                }
            }
        }
        found.sort(MOST_RECENT_FIRST);
        return List.copyOf(found.subList(0, Math.min(limit, found.size())));
    }

    /** The completed state recorded for a conversation, or null. */
    public ConversationState completedState(String conversationId) {
        synchronized (lock) {
            checkOpen();
            Conversation c = conversations.get(conversationId);
            return c == null ? null : c.completed;
        }
    }

    /** Conversations held now. */
    public int conversationCount() {
        synchronized (lock) {
            return conversations.size();
        }
    }

    /** Conversations dropped to stay within maxConversations. */
    public long droppedConversations() {
        synchronized (lock) {
            return droppedConversations;
        }
    }

    /** New events not kept because their conversation was at maxEventsPerConversation. */
    public long droppedEvents() {
        synchronized (lock) {
            return droppedEvents;
        }
    }

    /** Drops everything; later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            conversations.clear();
            mostRecent = null;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("memory timeline store is closed");
        }
    }

    /** The conversation, created if new, moved to the most-recently-appended end. */
    private Conversation touch(String id) {
        if (mostRecent != null && mostRecent.id.equals(id)) {
            return mostRecent;
        }
        Conversation c = conversations.remove(id);
        if (c == null) {
            if (conversations.size() >= maxConversations) {
                Iterator<Map.Entry<String, Conversation>> eldest = conversations.entrySet().iterator();
                String dropped = eldest.next().getKey();
                eldest.remove();
                droppedConversations++;
                rateLimited.log(System.Logger.Level.WARNING, "max-conversations", () ->
                        "memory store at maxConversations=" + maxConversations
                                + "; dropped the least recently appended conversation " + dropped + " (counted)");
            }
            c = new Conversation(id);
        }
        conversations.put(id, c);
        mostRecent = c;
        return c;
    }

    private static final class Conversation {
        final String id;
        final HashMap<Long, TimelineEvent> byId = new HashMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        Timeline timeline;
        ConversationState completed;

        Conversation(String id) {
            this.id = id;
        }

        Timeline timeline() {
            if (timeline == null) {
                timeline = Timeline.of(id, byId.values());
            }
            return timeline;
        }

        boolean hasEventIn(long from, long to) {
            if (last < from || first >= to) {
                return false;
            }
            if (first >= from || last < to) {
                return true; // the first or the last event lies inside
            }
            // Both ends outside the window: look for an event inside it.
            List<TimelineEvent> events = timeline().events();
            int lo = 0;
            int hi = events.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (events.get(mid).eventTime() < from) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo < events.size() && events.get(lo).eventTime() < to;
        }
    }
}
