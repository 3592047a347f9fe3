package dev.gctimeline.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The message a seed shape B ("streaming events") client sends right after its socket opens, to
 * choose the event types it receives (see docs/event-mapping.md and the seed formats).
 *
 * <pre>{@code webSocket.sendText(ShapeBSubscription.subscribeMessage(), true);}</pre>
 */
public final class ShapeBSubscription {
    /** The five event types shape B defines, in the order the format describes them. */
    public static final List<String> DEFAULT_EVENTS = List.of(
            "interaction-participant-joined",
            "interaction-participant-left",
            "interaction-media-channel-added",
            "interaction-media-channel-removed",
            "interaction-updated");

    private static final JsonFactory JSON = new JsonFactory();

    private ShapeBSubscription() {
    }

    /** {@code {"type":"subscribe","events":[...the five default types...]}}. */
    public static String subscribeMessage() {
        return subscribeMessage(DEFAULT_EVENTS);
    }

    /**
     * {@code {"type":"subscribe","events":[...]}} for the given event types, JSON-escaped, compact.
     *
     * @throws IllegalArgumentException if {@code events} is empty or holds an empty or null type
     */
    public static String subscribeMessage(Collection<String> events) {
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            throw new IllegalArgumentException("subscribe to at least one event type");
        }
        StringWriter out = new StringWriter(64 + 40 * events.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "subscribe");
            g.writeArrayFieldStart("events");
            for (String e : events) {
                if (e == null || e.isEmpty()) {
                    throw new IllegalArgumentException("event types must be non-empty");
                }
                g.writeString(e);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }
}
