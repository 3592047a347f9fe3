package dev.gctimeline.stream.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which topic lives on which channel. Genesys allows 1,000 topics per channel and 20 channels per
 * user and app; the plan packs the fixed topics first and the per-conversation topics of
 * auto-follow after them, always whole conversations on one channel (so a conversation's detail
 * events and transcripts share one socket and one ordering), filling the channel with room before
 * asking for a new one.
 *
 * <p>Not thread-safe: owned by the stream's control thread.
 */
public final class TopicPlan {
    /** Genesys's documented limit of topics on one channel. */
    public static final int MAX_TOPICS_PER_CHANNEL = 1_000;
    /** Genesys's documented limit of channels per user and app. */
    public static final int MAX_CHANNELS = 20;

    private final int topicsPerChannel;
    private final int maxChannels;
    private final List<Set<String>> channels = new ArrayList<>();
    private final Map<String, Integer> conversationChannel = new LinkedHashMap<>();
    private final Map<String, List<String>> conversationTopics = new LinkedHashMap<>();

    public TopicPlan(int topicsPerChannel, int maxChannels) {
        if (topicsPerChannel < 1 || topicsPerChannel > MAX_TOPICS_PER_CHANNEL) {
            throw new IllegalArgumentException("topics per channel must be 1.." + MAX_TOPICS_PER_CHANNEL);
        }
        if (maxChannels < 1 || maxChannels > MAX_CHANNELS) {
            throw new IllegalArgumentException("channels must be 1.." + MAX_CHANNELS);
        }
        this.topicsPerChannel = topicsPerChannel;
        this.maxChannels = maxChannels;
    }

    /**
     * Places the fixed topics (queues, users, explicit ones). Returns the plan's channel count.
     *
     * @throws IllegalArgumentException if they need more channels than allowed
     */
    public int placeFixed(Collection<String> topics) {
        for (String t : new LinkedHashSet<>(topics)) {
            int idx = channelWithRoom(1);
            if (idx < 0) {
                throw new IllegalArgumentException(topics.size() + " topics need more than " + maxChannels
                        + " channels of " + topicsPerChannel + " topics");
            }
            channels.get(idx).add(t);
        }
        return channels.size();
    }

    /**
     * Places a conversation's topics on one channel.
     *
     * @return the channel index, or -1 when every channel is full (the caller counts a follow error)
     */
    public int follow(String conversationId, List<String> topics) {
        Integer existing = conversationChannel.get(conversationId);
        if (existing != null) {
            return existing;
        }
        int idx = channelWithRoom(topics.size());
        if (idx < 0) {
            return -1;
        }
        channels.get(idx).addAll(topics);
        conversationChannel.put(conversationId, idx);
        conversationTopics.put(conversationId, List.copyOf(topics));
        return idx;
    }

    /** Removes a followed conversation's topics; returns its channel index, or -1 if not followed. */
    public int unfollow(String conversationId) {
        Integer idx = conversationChannel.remove(conversationId);
        if (idx == null) {
            return -1;
        }
        channels.get(idx).removeAll(conversationTopics.remove(conversationId));
        return idx;
    }

    public boolean following(String conversationId) {
        return conversationChannel.containsKey(conversationId);
    }

    /** The topics of channel {@code index}, in placement order (a copy). */
    public List<String> topics(int index) {
        return List.copyOf(channels.get(index));
    }

    public int channelCount() {
        return channels.size();
    }

    public int followedCount() {
        return conversationChannel.size();
    }

    private int channelWithRoom(int needed) {
        for (int i = 0; i < channels.size(); i++) {
            if (channels.get(i).size() + needed <= topicsPerChannel) {
                return i;
            }
        }
        if (channels.size() < maxChannels && needed <= topicsPerChannel) {
            channels.add(new LinkedHashSet<>());
            return channels.size() - 1;
        }
        return -1;
    }
}
