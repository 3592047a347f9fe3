package dev.gctimeline.testkit;

/**
 * Relative weights of the media a {@link ContactCenterScenario} draws its conversations from.
 * A weight of 0 leaves that medium out; the scenario's feature switches for callback, chat and
 * message zero their weight as well.
 *
 * <pre>{@code ContactCenterScenario.builder().mediaMix(new MediaMix(6, 1, 2, 1)).build();}</pre>
 *
 * @param voice    inbound calls (IVR, queue, agents, hold, transfers, transcripts)
 * @param callback callbacks (no IVR; outbound)
 * @param chat     web chats
 * @param message  messaging (SMS)
 */
public record MediaMix(int voice, int callback, int chat, int message) {

    /** The default mix: mostly voice, some chat, a little callback and messaging. */
    public static final MediaMix DEFAULT = new MediaMix(6, 1, 2, 1);

    /** Voice only. */
    public static final MediaMix VOICE_ONLY = new MediaMix(1, 0, 0, 0);

    public MediaMix {
        if (voice < 0 || callback < 0 || chat < 0 || message < 0) {
            throw new IllegalArgumentException("media weights must not be negative: " + voice + "/" + callback
                    + "/" + chat + "/" + message);
        }
        if (voice + callback + chat + message == 0) {
            throw new IllegalArgumentException("media mix must have at least one positive weight");
        }
    }
}
