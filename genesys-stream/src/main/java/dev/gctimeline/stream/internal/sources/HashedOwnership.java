package dev.gctimeline.stream.internal.sources;

import dev.gctimeline.core.EventIds;
import dev.gctimeline.stream.ConversationOwnership;
import java.util.Objects;

/**
 * {@link ConversationOwnership#hashed}: instance {@code instance} of {@code instances} owns the ids
 * whose {@link EventIds#of} hash, unsigned, modulo {@code instances} is {@code instance}; one of one
 * owns everything ({@link ConversationOwnership#all()}).
 *
 * <pre>{@code new HashedOwnership(0, 2).owns("c-1")}</pre>
 *
 * @param instance  this instance, {@code 0 <= instance < instances}
 * @param instances how many share the traffic
 */
public record HashedOwnership(int instance, int instances) implements ConversationOwnership {
    public static final HashedOwnership ALL = new HashedOwnership(0, 1);

    public HashedOwnership {
        if (instances < 1 || instance < 0 || instance >= instances) {
            throw new IllegalArgumentException("need 0 <= instance < instances, got instance " + instance + " of "
                    + instances);
        }
    }

    @Override
    public boolean owns(String conversationId) {
        Objects.requireNonNull(conversationId, "conversationId");
        return instances == 1 || Long.remainderUnsigned(EventIds.of(conversationId), instances) == instance;
    }

    @Override
    public String toString() {
        return instances == 1 ? "all conversations" : "conversations hashed to " + instance + " of " + instances;
    }
}
