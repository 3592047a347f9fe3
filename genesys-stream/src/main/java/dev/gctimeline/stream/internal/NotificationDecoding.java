package dev.gctimeline.stream.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.stream.ControlListener;
import dev.gctimeline.stream.RejectSink;
import java.io.IOException;
import java.time.InstantSource;

/**
 * The document side of a {@code NotificationDecoder}: captures each document's tokens, interprets
 * the complete document, and keeps the decoded events until the sink takes them. Lives here so the
 * public decoder stays a thin facade over internal types.
 *
 * <pre>{@code decoding.startDocument(); decoding.token(t, p); ...; decoding.endDocument();}</pre>
 */
public final class NotificationDecoding {
    private final EnvelopeCapture capture = new EnvelopeCapture();
    private final Outbox outbox = new Outbox();
    private final SnapshotTracker snapshots;
    private final NotificationInterpreter interpreter;

    public NotificationDecoding(RejectSink rejects, ControlListener control, Counters counters,
                                int maxTrackedConversations, long idleTtlMillis, long endedRetentionMillis,
                                InstantSource clock) {
        this(rejects, control, counters,
                new SnapshotTracker(maxTrackedConversations, idleTtlMillis, endedRetentionMillis, clock));
    }

    /** Decoding whose snapshot state lives in {@code snapshots}, possibly shared with other decoders. */
    public NotificationDecoding(RejectSink rejects, ControlListener control, Counters counters,
                                SnapshotTracker snapshots) {
        this.snapshots = snapshots;
        this.interpreter = new NotificationInterpreter(outbox, rejects, control, counters, snapshots);
    }

    public void startDocument() {
        capture.clear();
    }

    public void token(JsonToken token, JsonParser parser) throws IOException {
        capture.token(token, parser);
    }

    /** Interprets the captured document; its events join the outbox. */
    public void endDocument() {
        interpreter.interpret(capture);
        capture.clear();
    }

    public void abortDocument() {
        capture.clear();
    }

    public boolean outboxEmpty() {
        return outbox.isEmpty();
    }

    public TimelineEvent outboxPeek() {
        return outbox.peek();
    }

    public void outboxRemove() {
        outbox.remove();
    }

    public int outboxSize() {
        return outbox.size();
    }

    public int trackedConversations() {
        return snapshots.trackedConversations();
    }
}
