package dev.netplay.client.results;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** Made-up results for tests, built by figure name (results.json's), so that a new figure breaks no fixture. */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** A diagnosis with the figures named (name, value, name, value ...) and every other one unknown. */
    public static Diagnosis diagnosis(Object... namesAndValues) {
        Map<String, Object> figures = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            figures.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return JSON.convertValue(figures, Diagnosis.class);
    }
}
