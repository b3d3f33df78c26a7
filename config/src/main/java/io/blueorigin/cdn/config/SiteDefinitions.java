package io.blueorigin.cdn.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.httpcache.site.SiteException;
import io.blueorigin.cdn.httpcache.site.SiteTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code sites} key of a standalone node: a list of site definitions in the form admin's
 * {@code /api/v1/sites} takes (docs/sites.md), read with {@link Site#fromMap} into a {@link SiteTable} at
 * version 0. Every error is a {@link SiteException} whose field is the full path from the key, such as
 * {@code sites[1].origins[0].url}, so the start-up message points at the line to fix.
 */
public final class SiteDefinitions {
    /** The key, in the catalogue and in a node's YAML file. */
    public static final String KEY = "sites";

    /** Reads YAML or JSON text (the file's list as JSON, or a {@code --set sites=[...]} flow value). */
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private SiteDefinitions() {}

    /**
     * Parses {@code text}, a YAML (or JSON) list of site definitions.
     *
     * @throws SiteException naming the field from {@code sites}: not a list, a bad definition, a name defined
     *     twice, a host another site of the list already claims
     */
    public static SiteTable parse(String text) {
        Object decoded;
        try {
            decoded = text.isBlank() ? null : YAML.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new SiteException(KEY, "not valid YAML: " + e.getOriginalMessage());
        }
        return table(decoded);
    }

    /**
     * Builds the table of decoded definitions ({@code List} of {@code Map}s, as Jackson decodes YAML or JSON).
     *
     * @throws SiteException naming the field from {@code sites}
     */
    public static SiteTable table(@Nullable Object decoded) {
        if (!(decoded instanceof List<?> list)) {
            throw new SiteException(KEY, "expected a list of site definitions (- name: ..., hosts: [...], origins: [...];"
                    + " docs/sites.md)");
        }
        if (list.size() > SiteTable.MAX_SITES) {
            throw new SiteException(KEY, "at most " + SiteTable.MAX_SITES + " sites");
        }
        List<Site> sites = new ArrayList<>();
        Map<String, Integer> indexByName = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String at = KEY + "[" + i + "]";
            Site site;
            try {
                site = Site.fromMap(list.get(i));
            } catch (SiteException e) {
                String field = e.field().equals("(body)") ? at : at + "." + e.field();
                throw new SiteException(field, e.getMessage().substring(e.field().length() + 2));
            }
            Integer earlier = indexByName.putIfAbsent(site.name(), i);
            if (earlier != null) {
                throw new SiteException(at + ".name", "site '" + site.name() + "' is already defined by " + KEY + "["
                        + earlier + "]");
            }
            sites.add(site);
        }
        try {
            return SiteTable.of(0, sites); // in list order: a host claimed twice is refused at the later site
        } catch (SiteTable.HostTaken e) {
            int holder = indexByName.get(e.holder());
            throw new SiteException(KEY + "[" + indexByName.get(e.site()) + "]." + e.field(), "'" + e.host() + "' overlaps '"
                    + e.held() + "' of site '" + e.holder() + "' (" + KEY + "[" + holder + "].hosts[" + e.holderHostIndex()
                    + "]); a host belongs to one site at most");
        } catch (SiteException e) {
            throw new SiteException(KEY, e.getMessage());
        }
    }
}
