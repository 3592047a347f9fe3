package dev.gctimeline.testkit.scenario.internal;

/** A media type in its three spellings: detail events, snapshot lists, analytics. */
public enum Media {
    VOICE("VOICE", "calls", "voice", "INBOUNDCALL", "Edge"),
    CALLBACK("CALLBACK", "callbacks", "callback", null, "PureCloud Callback"),
    CHAT("CHAT", "chats", "chat", "INBOUNDCHAT", "PureCloud Webchat v2"),
    MESSAGE("MESSAGE", "messages", "message", "INBOUNDSHORTMESSAGE", "PureCloud Messaging");

    /** Detail events: upper case. */
    public final String detail;
    /** The snapshot participant's media list. */
    public final String snapshotList;
    /** Analytics: lower camel case. */
    public final String analytics;
    /** The Architect flow type an inbound conversation of this media runs through, or null (no IVR). */
    public final String flowType;
    /** The provider the detail events name. */
    public final String provider;

    Media(String detail, String snapshotList, String analytics, String flowType, String provider) {
        this.detail = detail;
        this.snapshotList = snapshotList;
        this.analytics = analytics;
        this.flowType = flowType;
        this.provider = provider;
    }
}
