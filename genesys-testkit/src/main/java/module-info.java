/** A local Genesys Cloud for tests, examples and benchmarks. */
module dev.gctimeline.testkit {
    requires transitive dev.gctimeline.core;
    requires com.fasterxml.jackson.core;
    requires jdk.httpserver;

    exports dev.gctimeline.testkit;
}
