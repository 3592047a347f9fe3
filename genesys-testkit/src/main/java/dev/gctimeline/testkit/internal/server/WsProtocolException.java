package dev.gctimeline.testkit.internal.server;

import java.io.IOException;

/** A client broke RFC 6455; {@link #closeCode()} is the status the server closes with. */
final class WsProtocolException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int closeCode;

    WsProtocolException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    int closeCode() {
        return closeCode;
    }
}
