package dev.gctimeline.auth;

/**
 * The server understood who is asking but refused (HTTP 403): the OAuth client lacks a role or
 * permission, is disabled, or the organization does not allow this caller. Retrying will not help
 * until the configuration changes.
 *
 * <pre>{@code
 * catch (MissingPermissionException e) { alert("grant the OAuth client its roles: " + e.getMessage()); }
 * }</pre>
 */
public class MissingPermissionException extends GenesysAuthException {
    private static final long serialVersionUID = 1L;

    /** See {@link GenesysAuthException#GenesysAuthException(String, int, String, Throwable)}. */
    public MissingPermissionException(String message, int statusCode, String correlationId, Throwable cause) {
        super(message, statusCode, correlationId, cause);
    }
}
