package dev.gctimeline.stream.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects, token by token, the parts of one document that any accepted shape uses, into reused
 * flat structures; the document is interpreted once it is complete.
 *
 * <p>Why capture first: JSON field order is not guaranteed, and the meaning of {@code eventBody}
 * depends on {@code topicName} (shape A's {@code data} on {@code type}), which may come later. The
 * capture knows the union of all shapes by position (envelope {@code eventBody}, EventBridge
 * {@code detail.eventBody}, shape B {@code events[]}, shape A {@code data}) and keeps, per object,
 * its scalar fields only; nested values no shape uses are skipped by counting depth and counted as
 * unknown fields. No tree is built, and after warm-up nothing is allocated per document except
 * what grows (a bigger document than any before).
 *
 * <p>Push-driven ({@link #token}), so a document that pauses mid-way for input resumes naturally.
 */
final class EnvelopeCapture {
    // Contexts: what the innermost open object or array is.
    private static final int ROOT = 1;
    private static final int DETAIL = 2;
    private static final int BODY = 3;
    private static final int BODY_ATTRIBUTES = 4;
    private static final int PARTICIPANTS = 5;
    private static final int PARTICIPANT = 6;
    private static final int PARTICIPANT_ATTRIBUTES = 7;
    private static final int PARTICIPANT_WRAPUP = 8;
    private static final int MEDIA_LIST = 9;
    private static final int MEDIA = 10;
    private static final int TRANSCRIPTS = 11;
    private static final int TRANSCRIPT = 12;
    private static final int ALTERNATIVES = 13;
    private static final int ALTERNATIVE = 14;
    private static final int EVENTS = 15;
    private static final int EVENT = 16;
    private static final int EVENT_DATA = 17;
    private static final int DATA_OBJECT = 18;
    private static final int DATA_ARRAY = 19;
    private static final int DATA_ITEM = 20;
    private static final int SKIP = -1;
    private static final int SKIP_QUIETLY = -2;

    static final int ROOT_OBJECT = 1;
    static final int ROOT_ARRAY = 2;
    static final int ROOT_SCALAR = 3;

    static final int DATA_NONE = 0;
    static final int DATA_IS_OBJECT = 1;
    static final int DATA_IS_ARRAY = 2;

    /** Snapshot media lists in the order of docs/event-mapping.md, with their mediaType. */
    static final String[] MEDIA_LISTS = {"calls", "callbacks", "chats", "emails", "messages", "videos",
        "screenshares", "cobrowsesessions", "socialExpressions"};
    static final String[] MEDIA_TYPES = {"VOICE", "CALLBACK", "CHAT", "EMAIL", "MESSAGE", "VIDEO",
        "SCREENSHARE", "COBROWSE", "SOCIAL"};

    final CharArena arena = new CharArena();
    final FieldBag root = new FieldBag(arena);
    final FieldBag detail = new FieldBag(arena);
    final FieldBag body = new FieldBag(arena);
    final FieldBag bodyAttributes = new FieldBag(arena);
    final FieldBag data = new FieldBag(arena);
    final Pool<Participant> participants = new Pool<>(() -> new Participant(arena));
    final Pool<Transcript> transcripts = new Pool<>(() -> new Transcript(arena));
    final Pool<BatchEvent> events = new Pool<>(() -> new BatchEvent(arena));
    final Pool<FieldBag> dataItems = new Pool<>(() -> new FieldBag(arena));

    int rootKind;
    boolean hasDetail;
    boolean hasBody;
    boolean hasBodyAttributes;
    boolean hasParticipants;
    boolean hasTranscripts;
    boolean hasEvents;
    int dataKind;
    /** Nested values skipped because no shape uses them (counted as unknown fields). */
    int skippedUnknown;

    // The capture the innermost context writes to (saves a list lookup per scalar token).
    private Participant participant;
    private Media media;
    private Transcript transcript;
    private BatchEvent event;
    private FieldBag item;

    private int[] stack = new int[16];
    private int top = -1;
    private int skipDepth;

    void clear() {
        arena.clear();
        root.clear();
        detail.clear();
        body.clear();
        bodyAttributes.clear();
        data.clear();
        participants.clear();
        transcripts.clear();
        events.clear();
        dataItems.clear();
        rootKind = 0;
        hasDetail = hasBody = hasBodyAttributes = hasParticipants = hasTranscripts = hasEvents = false;
        dataKind = DATA_NONE;
        skippedUnknown = 0;
        top = -1;
        skipDepth = 0;
    }

    void token(JsonToken t, JsonParser p) throws IOException {
        if (skipDepth > 0) {
            if (t.isStructStart()) {
                skipDepth++;
            } else if (t.isStructEnd()) {
                skipDepth--;
            }
            return;
        }
        if (top < 0) {
            if (t == JsonToken.START_OBJECT) {
                rootKind = ROOT_OBJECT;
                push(ROOT);
            } else if (t == JsonToken.START_ARRAY) {
                rootKind = ROOT_ARRAY;
                skipDepth = 1;
            } else {
                rootKind = ROOT_SCALAR;
            }
            return;
        }
        switch (t) {
            case FIELD_NAME:
                return; // the value's own token carries its name (currentName())
            case END_OBJECT:
            case END_ARRAY:
                top--;
                return;
            case START_OBJECT:
            case START_ARRAY: {
                int child = child(stack[top], t == JsonToken.START_OBJECT, p.currentName());
                if (child < 0) {
                    skipDepth = 1;
                    if (child == SKIP) {
                        skippedUnknown++;
                    }
                } else {
                    push(child);
                }
                return;
            }
            default:
                scalar(stack[top], p.currentName(), t, p);
        }
    }

    private void push(int context) {
        if (++top == stack.length) {
            stack = Arrays.copyOf(stack, top * 2);
        }
        stack[top] = context;
    }

    private int child(int context, boolean object, String name) {
        switch (context) {
            case ROOT:
                if (object && "eventBody".equals(name) && !hasBody) {
                    hasBody = true;
                    return BODY;
                }
                if (object && "detail".equals(name) && !hasDetail) {
                    hasDetail = true;
                    return DETAIL;
                }
                if (!object && "events".equals(name) && !hasEvents) {
                    hasEvents = true;
                    return EVENTS;
                }
                if ("data".equals(name) && dataKind == DATA_NONE) {
                    dataKind = object ? DATA_IS_OBJECT : DATA_IS_ARRAY;
                    return object ? DATA_OBJECT : DATA_ARRAY;
                }
                return "metadata".equals(name) || "resources".equals(name) ? SKIP_QUIETLY : SKIP;
            case DETAIL:
                if (object && "eventBody".equals(name) && !hasBody) {
                    hasBody = true;
                    return BODY;
                }
                return "metadata".equals(name) ? SKIP_QUIETLY : SKIP;
            case BODY:
                if (object && "attributes".equals(name) && !hasBodyAttributes) {
                    hasBodyAttributes = true;
                    return BODY_ATTRIBUTES;
                }
                if (!object && "participants".equals(name) && !hasParticipants) {
                    hasParticipants = true;
                    return PARTICIPANTS;
                }
                if (!object && "transcripts".equals(name) && !hasTranscripts) {
                    hasTranscripts = true;
                    return TRANSCRIPTS;
                }
                return SKIP;
            case PARTICIPANTS:
                if (object) {
                    participant = participants.next();
                    participant.clear();
                    return PARTICIPANT;
                }
                return SKIP;
            case PARTICIPANT: {
                Participant pc = participant;
                if (object && "attributes".equals(name) && !pc.hasAttributes) {
                    pc.hasAttributes = true;
                    return PARTICIPANT_ATTRIBUTES;
                }
                if (object && "wrapup".equals(name) && !pc.hasWrapup) {
                    pc.hasWrapup = true;
                    return PARTICIPANT_WRAPUP;
                }
                if (!object) {
                    int list = mediaList(name);
                    if (list >= 0) {
                        pc.currentList = list;
                        return MEDIA_LIST;
                    }
                }
                return SKIP;
            }
            case MEDIA_LIST:
                if (object) {
                    media = participant.media.next();
                    media.clear();
                    media.list = participant.currentList;
                    return MEDIA;
                }
                return SKIP;
            case TRANSCRIPTS:
                if (object) {
                    transcript = transcripts.next();
                    transcript.clear();
                    return TRANSCRIPT;
                }
                return SKIP;
            case TRANSCRIPT:
                if (!object && "alternatives".equals(name)) {
                    return ALTERNATIVES;
                }
                return SKIP;
            case ALTERNATIVES:
                if (object && transcript.alternatives++ == 0) {
                    return ALTERNATIVE;
                }
                return SKIP_QUIETLY; // only the first (best) alternative is used
            case ALTERNATIVE:
                return "words".equals(name) ? SKIP_QUIETLY : SKIP;
            case EVENTS:
                if (object) {
                    event = events.next();
                    event.clear();
                    return EVENT;
                }
                return SKIP;
            case EVENT: {
                if (object && "data".equals(name) && !event.hasData) {
                    event.hasData = true;
                    return EVENT_DATA;
                }
                return SKIP;
            }
            case DATA_ARRAY:
                if (object) {
                    item = dataItems.next();
                    item.clear();
                    return DATA_ITEM;
                }
                return SKIP;
            default:
                return SKIP;
        }
    }

    private void scalar(int context, String name, JsonToken t, JsonParser p) throws IOException {
        switch (context) {
            case ROOT:
                root.add(name, t, p);
                return;
            case DETAIL:
                detail.add(name, t, p);
                return;
            case BODY:
                body.add(name, t, p);
                return;
            case BODY_ATTRIBUTES:
                bodyAttributes.add(name, t, p);
                return;
            case PARTICIPANT:
                participant.fields.add(name, t, p);
                return;
            case PARTICIPANT_ATTRIBUTES:
                participant.attributes.add(name, t, p);
                return;
            case PARTICIPANT_WRAPUP:
                participant.wrapup.add(name, t, p);
                return;
            case MEDIA:
                media.fields.add(name, t, p);
                return;
            case TRANSCRIPT:
                transcript.fields.add(name, t, p);
                return;
            case ALTERNATIVE:
                transcript.alternative.add(name, t, p);
                return;
            case EVENT:
                event.fields.add(name, t, p);
                return;
            case EVENT_DATA:
                event.data.add(name, t, p);
                return;
            case DATA_OBJECT:
                data.add(name, t, p);
                return;
            case DATA_ITEM:
                item.add(name, t, p);
                return;
            default:
                skippedUnknown++; // a scalar where an array of objects belongs
        }
    }

    static int mediaList(String name) {
        if (name == null) {
            return -1;
        }
        for (int i = 0; i < MEDIA_LISTS.length; i++) {
            if (MEDIA_LISTS[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** A reused list of captures: {@link #next()} hands out the next one, growing only when needed. */
    static final class Pool<T> {
        private final List<T> items = new ArrayList<>();
        private final Supplier<T> factory;
        private int size;

        Pool(Supplier<T> factory) {
            this.factory = factory;
        }

        T next() {
            if (size == items.size()) {
                items.add(factory.get());
            }
            return items.get(size++);
        }

        T get(int i) {
            return items.get(i);
        }

        int size() {
            return size;
        }

        void clear() {
            size = 0;
        }
    }

    /** One element of a snapshot's {@code participants[]}. */
    static final class Participant {
        final FieldBag fields;
        final FieldBag attributes;
        final FieldBag wrapup;
        final Pool<Media> media;
        boolean hasAttributes;
        boolean hasWrapup;
        int currentList;
        // Times parsed by the snapshot tracker before it changes any state (epoch ms or ABSENT).
        long connectedTime;
        long endTime;
        long endAcwTime;
        long earliestMediaTime;
        long latestTime;

        Participant(CharArena arena) {
            fields = new FieldBag(arena);
            attributes = new FieldBag(arena);
            wrapup = new FieldBag(arena);
            media = new Pool<>(() -> new Media(arena));
        }

        void clear() {
            fields.clear();
            attributes.clear();
            wrapup.clear();
            media.clear();
            hasAttributes = false;
            hasWrapup = false;
        }
    }

    /** One element of a participant's media list ({@code calls[]}, {@code chats[]}, ...). */
    static final class Media {
        final FieldBag fields;
        /** Index into {@link #MEDIA_LISTS}. */
        int list;
        // Times parsed by the snapshot tracker before it changes any state (epoch ms or ABSENT).
        long startAlertingTime;
        long connectedTime;
        long startHoldTime;
        long disconnectedTime;

        Media(CharArena arena) {
            fields = new FieldBag(arena);
        }

        void clear() {
            fields.clear();
        }
    }

    /** One element of a transcription's {@code transcripts[]}, with its first alternative. */
    static final class Transcript {
        final FieldBag fields;
        final FieldBag alternative;
        int alternatives;

        Transcript(CharArena arena) {
            fields = new FieldBag(arena);
            alternative = new FieldBag(arena);
        }

        void clear() {
            fields.clear();
            alternative.clear();
            alternatives = 0;
        }
    }

    /** One element of a shape-B batch's {@code events[]}. */
    static final class BatchEvent {
        final FieldBag fields;
        final FieldBag data;
        boolean hasData;

        BatchEvent(CharArena arena) {
            fields = new FieldBag(arena);
            data = new FieldBag(arena);
        }

        void clear() {
            fields.clear();
            data.clear();
            hasData = false;
        }
    }
}
