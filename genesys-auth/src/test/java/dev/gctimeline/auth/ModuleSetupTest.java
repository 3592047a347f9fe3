package dev.gctimeline.auth;

import dev.gctimeline.testkit.LogCapture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The test set-up itself: tests must really run inside the module, with a binding that logs. */
class ModuleSetupTest {
    @Test
    void testsRunPatchedIntoTheNamedModule() {
        Module m = getClass().getModule();
        assertEquals("dev.gctimeline.auth", m.getName());
        assertTrue(m.getDescriptor().exports().stream().anyMatch(e -> e.source().equals("dev.gctimeline.auth")));
        assertFalse(m.isExported("dev.gctimeline.auth.internal"), "internal stays unexported");
        assertTrue(m.canRead(ModuleLayer.boot().findModule("jdk.httpserver").orElseThrow()));
    }

    @Test
    void logsReachTheCapture() {
        int mark = LogCapture.mark();
        LoggerFactory.getLogger(ModuleSetupTest.class).warn("capture probe");
        assertEquals("org.slf4j.simple.SimpleLoggerFactory", LoggerFactory.getILoggerFactory().getClass().getName());
        assertTrue(LogCapture.since(mark).contains("capture probe"));
    }
}
