package dev.gctimeline.auth;

/**
 * The login server refused the client id and secret (HTTP 401, or 400 {@code invalid_client}) or
 * the client is not allowed the Client Credentials grant. Retrying will not help until the
 * configuration changes.
 *
 * <pre>{@code
 * catch (BadCredentialsException e) { shutdown("fix GENESYS_CLIENT_ID/SECRET: " + e.getMessage()); }
 * }</pre>
 */
public class BadCredentialsException extends GenesysAuthException {
    private static final long serialVersionUID = 1L;

    /** See {@link GenesysAuthException#GenesysAuthException(String, int, String, Throwable)}. */
    public BadCredentialsException(String message, int statusCode, String correlationId, Throwable cause) {
        super(message, statusCode, correlationId, cause);
    }
}
