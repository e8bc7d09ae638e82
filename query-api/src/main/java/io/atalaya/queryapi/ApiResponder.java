package io.atalaya.queryapi;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** Writes the Prometheus API envelope for results and errors. Thread-safe. */
public final class ApiResponder {
    public static final String CONTENT_TYPE = "application/json";
    /**
     * Generators borrow their buffers from a shared bounded pool: the default pool is per thread, and every request
     * runs on a new virtual thread, so it would allocate fresh buffers (about 10 KB) for each answer.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newBoundedPool(64))
            .build();

    private ApiResponder() {
    }

    public static void writeSuccess(ApiResult result, OutputStream out) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("status", "success");
            json.writeFieldName("data");
            result.data().write(json);
            writeList(json, "warnings", result.warnings());
            writeList(json, "infos", result.infos());
            json.writeEndObject();
        }
    }

    public static void writeError(ApiException e, OutputStream out) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("status", "error");
            json.writeStringField("errorType", e.type().wireName());
            json.writeStringField("error", e.getMessage());
            json.writeEndObject();
        }
    }

    private static void writeList(JsonGenerator json, String name, List<String> values) throws IOException {
        if (values.isEmpty()) {
            return;
        }
        json.writeArrayFieldStart(name);
        for (String v : values) {
            json.writeString(v);
        }
        json.writeEndArray();
    }
}
