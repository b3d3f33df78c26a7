package io.blueorigin.cdn.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's own error answers (requests its parser refused, handler exceptions) as one line of plain text:
 * the status, its reason, and for a client error Jetty's description of the mistake. Never an HTML page,
 * never a stack, an exception's text or anything else that says where: a 5xx's cause goes to the log.
 * Messages are kept only if short printable ASCII, so nothing a client sent is echoed back raw.
 */
public final class PlainErrorHandler extends ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(PlainErrorHandler.class);
    private static final int MAX_MESSAGE = 120;

    public PlainErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, @Nullable String message,
            @Nullable Throwable cause, Callback callback) {
        if (code >= 500 && cause != null) {
            LOG.warn("{} {} -> {}: {}", request.getMethod(), request.getHttpURI().getPath(), code, cause.toString());
        }
        int status = code;
        if (code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
            // the client's mistake (HTTP/0.9, HTTP/2.0 in a request line), so a 4xx: no 5xx means a client's fault here
            status = HttpStatus.BAD_REQUEST_400;
            message = "HTTP version not supported (HTTP/1.0 and HTTP/1.1 are)";
            response.setStatus(status);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(ERROR_CACHE_CONTROL);
        response.write(true, ByteBuffer.wrap(text(status, message).getBytes(StandardCharsets.UTF_8)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, @Nullable String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        fields.put(ERROR_CACHE_CONTROL);
        return ByteBuffer.wrap(text(status, reason).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code "400 Bad Request: Ambiguous URI path separator\n"}; only 4xx carry a message. */
    static String text(int status, @Nullable String message) {
        String reason = HttpStatus.getMessage(status);
        String line = status + " " + reason;
        if (status >= 400 && status < 500 && message != null && !message.equals(reason) && isPlain(message)) {
            line += ": " + message;
        }
        return line + "\n";
    }

    private static boolean isPlain(String message) {
        if (message.isEmpty() || message.length() > MAX_MESSAGE) {
            return false;
        }
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '<' || c == '>') {
                return false;
            }
        }
        return true;
    }
}
