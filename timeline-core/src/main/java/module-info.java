/** Timeline model, ordering, dedup, ring buffer, reconstructor, store SPI and pipeline. java.base only. */
module dev.gctimeline.core {
    exports dev.gctimeline.core;

    uses dev.gctimeline.core.TimelineStoreProvider;

    provides dev.gctimeline.core.TimelineStoreProvider with dev.gctimeline.core.internal.MemoryTimelineStoreProvider;
}
