package dev.gctimeline.stream.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Receives the token stream of one JSON document at a time from an {@link IncrementalJsonDecoder}.
 *
 * <p>A push-style state machine: the decoder calls {@link #token} once per token as the bytes
 * arrive, so a document that pauses mid-way (input ran out) simply resumes with the next call; the
 * handler never sees {@code NOT_AVAILABLE}. A handler reads the current token's value through
 * {@code parser} ({@code currentName()}, {@code getTextCharacters()}, ...) and must never move the
 * parser ({@code nextToken()}, {@code skipChildren()}, {@code finishToken()}...): the decoder owns it.
 *
 * <p>Lifecycle per document: {@link #startDocument()}, then {@link #token} for every token of the
 * root value (its first and last token included), then either {@link #endDocument()} (complete
 * and within bounds) or {@link #abortDocument()} (rejected: oversize or malformed; forget it).
 *
 * <pre>{@code new IncrementalJsonDecoder(handler, rejects, IncrementalJsonDecoder.DEFAULT_MAX_DOCUMENT_BYTES)}</pre>
 */
public interface DocumentHandler {

    /** A root value begins; the next call is {@link #token} with its first token. */
    void startDocument();

    /** One token of the current document. */
    void token(JsonToken token, JsonParser parser) throws IOException;

    /**
     * The document is complete and within bounds.
     *
     * @return true to go on decoding; false to pause the decoder (backpressure) until
     *         {@link IncrementalJsonDecoder#resume()}
     */
    boolean endDocument();

    /** The document was rejected (and counted by the decoder): discard whatever was collected. */
    void abortDocument();
}
