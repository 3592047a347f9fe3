package dev.gctimeline.core;

/** Why a conversation left the live set without completing. */
public enum EvictionReason {
    /** Nothing arrived for it for the idle timeout. */
    IDLE,
    /** The live set was at its maximum and this was the least recently active conversation. */
    CAPACITY,
    /** The pipeline shut down while it was still live. */
    SHUTDOWN
}
