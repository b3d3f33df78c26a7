package io.blueorigin.cdn.proxy;

import java.util.function.Consumer;
import org.eclipse.jetty.client.EarlyHintsProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Relays {@code 103 Early Hints} (RFC 8297; RFC 9110 §15.2: a proxy forwards 1xx responses) from an upstream to
 * the client whose request it is fetching for: the client exchange puts a sink in its request's attributes, the
 * fetch copies it to the upstream request, and this protocol handler of the upstream client hands the 103's
 * fields to it. A fetch nobody leads (a background revalidation) has no sink: its hints are dropped.
 */
final class EarlyHints {
    /** Attribute of a client request (server side) and of its upstream request (client side): the sink. */
    static final String ATTRIBUTE = "io.blueorigin.cdn.earlyHints";

    private EarlyHints() {}

    /** The upstream client's handler for 103 responses (replaces Jetty's own, which drops them). */
    static final class Relay extends EarlyHintsProtocolHandler {
        @Override
        @SuppressWarnings("unchecked")
        protected void onEarlyHints(Request request, HttpFields fields) {
            if (request.getAttributes().get(ATTRIBUTE) instanceof Consumer<?> sink) {
                ((Consumer<HttpFields>) sink).accept(endToEnd(fields));
            }
        }
    }

    /** The 103's fields a proxy passes on: none of the connection's own (RFC 9110 §7.6.1). */
    static HttpFields endToEnd(HttpFields fields) {
        HttpFields.Mutable out = HttpFields.build();
        for (HttpField f : fields) {
            if (!HopByHop.isHopByHop(f.getLowerCaseName(), java.util.Set.of())) {
                out.add(f);
            }
        }
        return out;
    }
}
