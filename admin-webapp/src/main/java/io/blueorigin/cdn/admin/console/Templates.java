package io.blueorigin.cdn.admin.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.WriterOutput;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * Renders console pages with the templates compiled at build time ({@code src/main/jte}, jte's Maven plugin):
 * HTML-escaped by construction (jte's HTML content type escapes every {@code ${}} for where it stands: text,
 * attribute), no template compiler at run time.
 */
final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    void render(Page page, HttpServletResponse response) throws IOException {
        response.setContentType("text/html; charset=utf-8");
        engine.render("page.jte", Map.of("page", page), new WriterOutput(response.getWriter()));
    }
}
