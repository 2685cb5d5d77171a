package dev.cifar.function;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Decides what a POST body may be, before any of it is read: JSON goes on to the functions; an
 * image ({@code image/png}, {@code image/jpeg}, {@code image/gif}, {@code image/bmp}, or {@code
 * application/octet-stream}, known by its bytes) to {@code /predict}, and {@code
 * multipart/form-data} with image files to {@code /predict} (the file {@code image}, or the only
 * file) and {@code /predictBatch} (every file, in order), are read here, each file up to {@code
 * cifar.max-image-bytes} and a form's files together up to {@code
 * quarkus.http.limits.max-body-size}, no further, and answered by the same functions with the same
 * JSON; {@code top} comes from the query ({@code ?top=5}) or a form field. Anything else is a 415.
 * The reading happens before Quarkus' body handler; the answer after Quarkus' filters, so that CORS
 * headers apply to uploads as to JSON.
 */
@ApplicationScoped
public class Uploads {

  /** The declared image types, with the format each binds the bytes to ({@code null}: none). */
  private static final Map<String, String> IMAGE_TYPES =
      Map.of(
          "image/png", "png",
          "image/jpeg", "jpeg",
          "image/gif", "gif",
          "image/bmp", "bmp",
          "application/octet-stream", "");

  /** The routing-context key of a read upload's answer. */
  private static final String UPLOAD = "cifar.upload";

  /** The most files a form to {@code /predict} may carry (one of them named {@code image}). */
  private static final int PREDICT_MAX_FILES = 8;

  private final PredictFunctions functions;
  private final ObjectMapper mapper;
  private final long maxFormBytes;

  Uploads(
      PredictFunctions functions,
      ObjectMapper mapper,
      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
          MemorySize maxBodySize) {
    this.functions = functions;
    this.mapper = mapper;
    this.maxFormBytes = maxBodySize.asLongValue();
  }

  void install(@Observes Router router) {
    // before Quarkus' body handler (Integer.MIN_VALUE + 1), which would buffer any body whole
    router.route().order(Integer.MIN_VALUE).handler(this::dispatch);
    // after Quarkus' filters (CORS: a negative order of its priority), before Funqy's routes
    router.route().order(-1).handler(this::answer);
  }

  /**
   * Once an upload is read, the rest of the chain runs (Quarkus' filters, CORS among them, add
   * their headers) with the body handler marked as done, since the body is consumed; {@link
   * #answer} then answers it.
   */
  private static void handOver(RoutingContext ctx, Supplier<Object> answer) {
    ctx.put(UPLOAD, answer);
    ((RoutingContextInternal) ctx).visitHandler(RoutingContextInternal.BODY_HANDLER);
    ctx.next();
  }

  private void answer(RoutingContext ctx) {
    Supplier<Object> upload = ctx.get(UPLOAD);
    if (upload == null) {
      ctx.next();
      return;
    }
    respond(ctx, upload);
  }

  private void dispatch(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.method() != HttpMethod.POST) {
      ctx.next();
      return;
    }
    String type = request.getHeader("Content-Type");
    String mime = type == null ? "" : type.split(";")[0].strip().toLowerCase(Locale.ROOT);
    if (mime.equals("application/json")
        || mime.equals("application/cloudevents+json")
        || request.getHeader("ce-specversion") != null) { // a binary-mode CloudEvent, data or not
      ctx.next();
      return;
    }
    String path = request.path();
    boolean predict = path.equals("/predict");
    boolean batch = path.equals("/predictBatch");
    if (predict && IMAGE_TYPES.containsKey(mime)) {
      String declared = IMAGE_TYPES.get(mime);
      readBody(
          ctx,
          bytes ->
              handOver(
                  ctx,
                  () ->
                      functions.predict(
                          new UploadedImage(
                              bytes, "the request body", declared.isEmpty() ? null : declared),
                          top(ctx, null))));
      return;
    }
    if ((predict || batch) && mime.equals("multipart/form-data")) {
      readForm(ctx, batch);
      return;
    }
    ctx.fail(415);
  }

  /** Reads a raw body up to the image limit; beyond it the request is answered with a 413. */
  private void readBody(RoutingContext ctx, Consumer<byte[]> done) {
    HttpServerRequest request = ctx.request();
    int limit = functions.maxImageBytes();
    long declaredLength = contentLength(request);
    if (declaredLength > limit) {
      tooLarge(ctx, "the request body is " + declaredLength + " bytes", limit);
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] over = {false};
    request.handler(
        chunk -> {
          if (over[0]) {
            return;
          }
          if (body.length() + chunk.length() > limit) {
            over[0] = true;
            tooLarge(ctx, "the request body is over " + limit + " bytes", limit);
            return;
          }
          body.appendBuffer(chunk);
        });
    request.exceptionHandler(e -> over[0] = true); // the client went away: nothing to answer
    request.endHandler(
        v -> {
          if (!over[0]) {
            done.accept(body.getBytes());
          }
        });
    request.resume();
  }

  /** Reads a multipart form, keeping its files in memory, each up to the image limit. */
  private void readForm(RoutingContext ctx, boolean batch) {
    HttpServerRequest request = ctx.request();
    int limit = functions.maxImageBytes();
    int maxFiles = batch ? functions.maxBatch() : PREDICT_MAX_FILES;
    List<FilePart> files = new ArrayList<>();
    boolean[] failed = {false};
    long[] total = {0};
    request.exceptionHandler(
        e -> {
          if (!failed[0]) {
            failed[0] = true;
            ctx.response().putHeader("Connection", "close");
            ctx.fail(
                new BadRequestException(
                    "the multipart/form-data body could not be read ("
                        + e.getClass().getSimpleName()
                        + "): check its boundary and parts"));
          }
        });
    String type = String.valueOf(request.getHeader("Content-Type")).toLowerCase(Locale.ROOT);
    if (!type.matches(".*;\\s*boundary=.+")) {
      ctx.fail(
          new BadRequestException(
              "the multipart/form-data body cannot be read: its Content-Type has no boundary"));
      return;
    }
    request.setExpectMultipart(true);
    request.uploadHandler(
        upload -> {
          if (failed[0]) {
            return;
          }
          if (files.size() >= maxFiles) {
            failed[0] = true;
            ctx.response().putHeader("Connection", "close");
            ctx.fail(
                new BadRequestException(
                    batch
                        ? "the form has more than "
                            + maxFiles
                            + " files; the limit is "
                            + maxFiles
                            + " (cifar.max-batch)"
                        : "the form has too many files: send one image file, named 'image'"));
            return;
          }
          FilePart part = new FilePart(upload, Buffer.buffer());
          files.add(part);
          upload.handler(
              chunk -> {
                if (failed[0]) {
                  return;
                }
                if (part.data.length() + chunk.length() > limit) {
                  failed[0] = true;
                  tooLarge(ctx, part.describe() + " is over " + limit + " bytes", limit);
                  return;
                }
                total[0] += chunk.length();
                if (total[0] > maxFormBytes) {
                  failed[0] = true;
                  ctx.response().putHeader("Connection", "close");
                  ctx.fail(
                      new BadRequestException(
                          413,
                          "the form's files are over "
                              + maxFormBytes
                              + " bytes together; the limit is the request body's"
                              + " (quarkus.http.limits.max-body-size)"));
                  return;
                }
                part.data.appendBuffer(chunk);
              });
          upload.endHandler(v -> part.complete = true);
        });
    request.endHandler(
        v -> {
          if (failed[0]) {
            return;
          }
          for (FilePart file : files) {
            if (!file.complete) {
              ctx.fail(
                  new BadRequestException(
                      "the multipart/form-data body could not be read: it ends inside "
                          + file.describe()
                          + " (truncated, or no closing boundary)"));
              return;
            }
          }
          handOver(ctx, () -> answerForm(ctx, files, batch));
        });
    request.resume();
  }

  private Object answerForm(RoutingContext ctx, List<FilePart> files, boolean batch) {
    List<String> fields = new ArrayList<>(ctx.request().formAttributes().names());
    fields.remove("top");
    if (!fields.isEmpty()) {
      throw new BadRequestException(
          "the form has unknown field(s) "
              + fields
              + ": send image files and, optionally, the field 'top'");
    }
    List<String> topFields = ctx.request().formAttributes().getAll("top");
    if (topFields.size() > 1) {
      throw new BadRequestException("the form gives 'top' " + topFields.size() + " times");
    }
    Integer top = top(ctx, topFields.isEmpty() ? null : topFields.get(0));
    if (batch) {
      return functions.predictBatch(files.stream().map(FilePart::image).toList(), top);
    }
    FilePart chosen = null;
    for (FilePart file : files) {
      if ("image".equals(file.upload.name())) {
        if (chosen != null && "image".equals(chosen.upload.name())) {
          throw new BadRequestException("the form has more than one file named 'image'");
        }
        chosen = file;
      }
    }
    if (chosen == null && files.size() == 1) {
      chosen = files.get(0);
    }
    if (chosen == null) {
      throw new BadRequestException(
          files.isEmpty()
              ? "the form has no image file: send one file part named 'image'"
              : "the form has " + files.size() + " files and none named 'image': name the image");
    }
    return functions.predict(chosen.image(), top);
  }

  /**
   * The {@code top} of an upload: from the query, or from the form's field; not both.
   *
   * @param formValue the form field's value, or {@code null}
   */
  private static Integer top(RoutingContext ctx, String formValue) {
    List<String> names = new ArrayList<>(ctx.queryParams().names());
    names.remove("top");
    if (!names.isEmpty()) {
      throw new BadRequestException(
          "unknown query parameter(s) " + names + ": the parameter is 'top'");
    }
    List<String> query = ctx.queryParams().getAll("top");
    if (query.size() + (formValue == null ? 0 : 1) > 1) {
      throw new BadRequestException("'top' is given more than once: give it once");
    }
    String text = formValue != null ? formValue : query.isEmpty() ? null : query.get(0);
    if (text == null) {
      return null;
    }
    try {
      return Integer.valueOf(text.strip());
    } catch (NumberFormatException e) {
      throw new BadRequestException("top must be a whole number, not '" + text + "'");
    }
  }

  /** Runs the function off the event loop and answers with its JSON, or fails the request. */
  private void respond(RoutingContext ctx, Supplier<Object> answer) {
    ctx.vertx()
        .executeBlocking(() -> mapper.writeValueAsString(answer.get()), false)
        .onComplete(
            result -> {
              if (result.succeeded()) {
                ctx.response().putHeader("Content-Type", "application/json").end(result.result());
              } else {
                ctx.fail(result.cause());
              }
            });
  }

  private static void tooLarge(RoutingContext ctx, String what, int limit) {
    ctx.response().putHeader("Connection", "close");
    ctx.fail(
        new BadRequestException(
            413, what + "; the limit is " + limit + " bytes per image (cifar.max-image-bytes)"));
  }

  private static long contentLength(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    try {
      return length == null ? -1 : Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** One file of a form, as it arrives. */
  private static final class FilePart {
    private final HttpServerFileUpload upload;
    private final Buffer data;
    private boolean complete;

    FilePart(HttpServerFileUpload upload, Buffer data) {
      this.upload = upload;
      this.data = data;
    }

    String describe() {
      String file = upload.filename();
      return "file '" + (file == null || file.isBlank() ? upload.name() : file) + "'";
    }

    UploadedImage image() {
      String type = upload.contentType();
      String mime = type == null ? "application/octet-stream" : type.toLowerCase(Locale.ROOT);
      String declared = IMAGE_TYPES.get(mime);
      if (declared == null) {
        throw new BadRequestException(
            describe()
                + " is declared as "
                + mime
                + ": send PNG, JPEG, GIF or BMP (image/png, image/jpeg, image/gif, image/bmp, or"
                + " application/octet-stream)");
      }
      return new UploadedImage(data.getBytes(), describe(), declared.isEmpty() ? null : declared);
    }
  }
}
