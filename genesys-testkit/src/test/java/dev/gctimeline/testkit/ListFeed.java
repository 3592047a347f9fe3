package dev.gctimeline.testkit;

import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A hand-scripted ScenarioFeed for tests: a list of notifications, truth from their carries. */
final class ListFeed implements ScenarioFeed {
    private final List<Notification> notifications;
    private final Map<String, String> analytics;

    ListFeed(List<Notification> notifications) {
        this(notifications, Map.of());
    }

    ListFeed(List<Notification> notifications, Map<String, String> analytics) {
        this.notifications = List.copyOf(notifications);
        this.analytics = new LinkedHashMap<>(analytics);
    }

    @Override
    public List<Notification> notifications() {
        return notifications;
    }

    @Override
    public List<String> conversationIds() {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (Notification n : notifications) {
            if (n.conversationId() != null) {
                ids.add(n.conversationId());
            }
        }
        ids.addAll(analytics.keySet());
        return List.copyOf(ids);
    }

    @Override
    public Timeline truth(String conversationId) {
        List<TimelineEvent> events = new ArrayList<>();
        for (Notification n : notifications) {
            for (TimelineEvent e : n.carries()) {
                if (e.conversationId().equals(conversationId)) {
                    events.add(e);
                }
            }
        }
        return Timeline.of(conversationId, events);
    }

    /** A conversation spans the send times of its notifications; analytics-only ones span [start, start+1). */
    @Override
    public Set<String> conversationsIn(long fromMillis, long toMillis) {
        Set<String> out = new LinkedHashSet<>();
        for (String id : conversationIds()) {
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (Notification n : notifications) {
                if (id.equals(n.conversationId())) {
                    min = Math.min(min, n.sendAtMillis());
                    max = Math.max(max, n.sendAtMillis());
                }
            }
            if (min == Long.MAX_VALUE) {
                min = AnalyticsFixtures.startOf(analytics.get(id));
                max = min;
            }
            if (min < toMillis && max >= fromMillis) {
                out.add(id);
            }
        }
        return out;
    }

    @Override
    public String analyticsConversationJson(String conversationId) {
        return analytics.get(conversationId);
    }
}
