package io.atalaya.server.api;

import io.atalaya.queryapi.ApiException;
import io.atalaya.queryapi.ApiResponder;
import io.atalaya.queryapi.ApiResult;
import io.atalaya.queryapi.ErrorType;
import io.atalaya.queryapi.ExportApi;
import io.atalaya.queryapi.MetadataApi;
import io.atalaya.queryapi.QueryApi;
import io.atalaya.queryapi.StatusApi;
import io.atalaya.server.http.HttpRoutes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.ByteArrayOutputStream;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the Prometheus HTTP API v1 to the listener: every endpoint Grafana's Prometheus data source and promtool use,
 * GET and POST where Prometheus accepts both. Answers are produced completely before the first byte is sent, so an
 * error can still become a proper error document.
 */
public final class PrometheusApiRoutes implements HttpRoutes {
    private static final Logger log = LoggerFactory.getLogger(PrometheusApiRoutes.class);

    private final QueryApi query;
    private final MetadataApi metadata;
    private final StatusApi status;
    private final ExportApi export;

    public PrometheusApiRoutes(QueryApi query, MetadataApi metadata, StatusApi status, ExportApi export) {
        this.query = query;
        this.metadata = metadata;
        this.status = status;
        this.export = export;
    }

    @Override
    public void register(RoutesConfig r) {
        both(r, "/api/v1/query", query::query);
        both(r, "/api/v1/query_range", query::queryRange);
        both(r, "/api/v1/format_query", query::formatQuery);
        both(r, "/api/v1/parse_query", query::parseQuery);
        both(r, "/api/v1/query_exemplars", query::queryExemplars);
        both(r, "/api/v1/series", metadata::series);
        both(r, "/api/v1/labels", metadata::labelNames);
        r.get("/api/v1/label/{name}/values", ctx -> answer(ctx, req -> metadata.labelValues(ctx.pathParam("name"), req)));
        r.get("/api/v1/metadata", ctx -> answer(ctx, metadata::metadata));
        r.get("/api/v1/status/buildinfo", ctx -> answer(ctx, req -> status.buildInfo()));
        r.get("/api/v1/status/runtimeinfo", ctx -> answer(ctx, req -> status.runtimeInfo()));
        r.get("/api/v1/status/flags", ctx -> answer(ctx, req -> status.flags()));
        r.get("/api/v1/status/config", ctx -> answer(ctx, req -> status.config()));
        r.get("/api/v1/status/tsdb", ctx -> answer(ctx, status::tsdb));
        r.get("/api/v1/export", this::export);
        r.post("/api/v1/export", this::export);
    }

    /** Streams JSON lines; parameter errors are answered as API errors before the first byte. */
    private void export(Context ctx) throws Exception {
        ExportApi.Export e;
        try {
            e = export.prepare(new JavalinApiRequest(ctx));
        } catch (ApiException ex) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            ApiResponder.writeError(ex, body);
            ctx.status(ex.type().httpStatus()).contentType(ApiResponder.CONTENT_TYPE).result(body.toByteArray());
            return;
        }
        ctx.contentType(ExportApi.CONTENT_TYPE);
        export.write(e, ctx.outputStream());
    }

    private static void both(RoutesConfig r, String path, Function<io.atalaya.queryapi.ApiRequest, ApiResult> endpoint) {
        Handler h = ctx -> answer(ctx, endpoint);
        r.get(path, h);
        r.post(path, h);
    }

    private static void answer(Context ctx, Function<io.atalaya.queryapi.ApiRequest, ApiResult> endpoint) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
        try {
            ApiResult result = endpoint.apply(new JavalinApiRequest(ctx));
            ApiResponder.writeSuccess(result, body);
            ctx.status(200);
        } catch (ApiException e) {
            body.reset();
            ApiResponder.writeError(e, body);
            ctx.status(e.type().httpStatus());
        } catch (RuntimeException e) {
            log.error("Internal error answering {} {}", ctx.method(), ctx.path(), e);
            body.reset();
            ApiResponder.writeError(new ApiException(ErrorType.INTERNAL, e.toString()), body);
            ctx.status(500);
        }
        ctx.contentType(ApiResponder.CONTENT_TYPE);
        // Straight into the response stream (which compresses when the client asks): ctx.result(bytes) would copy
        // the body once more and stream it through a fresh 32 KB buffer on every request.
        body.writeTo(ctx.outputStream());
    }
}
