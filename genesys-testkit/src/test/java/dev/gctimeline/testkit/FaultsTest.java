package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FaultsTest {

    @Test
    void noneIsNone() {
        assertTrue(Faults.none().isNone());
        assertTrue(Faults.parse("").isNone());
        assertTrue(Faults.parse(null).isNone());
        assertFalse(Faults.builder().oversize(0.1, 10).build().isNone());
    }

    @Test
    void parseReadsEverySwitch() {
        Faults f = Faults.parse("seed=7, frameSplit=0.5:12, envelopeSplit=0.1, documentSplit=0.2, documentBatch=0.3,"
                + "duplicate=0.4, reorder=0.05:6, dropSocket=0.01, dropSocketMidFrame=0.02, socketClosing=0.03,"
                + "missedHeartbeat=0.04, tokenExpiry=0.06, rateLimit=0.07, malformed=0.08, oversize=0.09:2048");
        Faults expected = Faults.builder().seed(7).frameSplit(0.5).maxFramesPerMessage(12).envelopeSplit(0.1)
                .documentSplit(0.2).documentBatch(0.3).duplicate(0.4).reorder(0.05, 6).dropSocket(0.01)
                .dropSocketMidFrame(0.02).socketClosing(0.03).missedHeartbeat(0.04).tokenExpiry(0.06).rateLimit(0.07)
                .malformed(0.08).oversize(0.09, 2048).build();
        assertEquals(expected, f);
        assertEquals(expected.hashCode(), f.hashCode());
        assertEquals(12, f.maxFramesPerMessage());
        assertEquals(6, f.reorderWindow());
        assertEquals(2048, f.oversizeBytes());
    }

    @Test
    void allSetsEveryRateAndLaterPartsOverride() {
        Faults f = Faults.parse("all=0.25,frameSplit=1");
        assertEquals(1.0, f.frameSplit());
        assertEquals(0.25, f.duplicate());
        assertEquals(0.25, f.rateLimit());
        assertEquals(0.25, f.oversize());
        assertEquals(0.25, f.missedHeartbeat());
    }

    @Test
    void badSpecsAndRatesAreRefusedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Faults.parse("frameSplat=0.1"));
        assertTrue(e.getMessage().contains("frameSplat"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Faults.parse("duplicate"));
        assertThrows(IllegalArgumentException.class, () -> Faults.parse("duplicate=lots"));
        IllegalArgumentException rate = assertThrows(IllegalArgumentException.class, () -> Faults.builder().duplicate(1.5));
        assertTrue(rate.getMessage().contains("duplicate"));
        assertThrows(IllegalArgumentException.class, () -> Faults.builder().reorder(Double.NaN, 2));
        assertThrows(IllegalArgumentException.class, () -> Faults.builder().reorder(0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> Faults.builder().maxFramesPerMessage(1));
        assertThrows(IllegalArgumentException.class, () -> Faults.builder().oversize(0.1, 0));
    }
}
