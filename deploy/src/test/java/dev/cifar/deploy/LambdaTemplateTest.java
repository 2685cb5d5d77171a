package dev.cifar.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The AWS SAM template of the Lambda build ({@code -Plambda}): the bundle it points at, the handler
 * Quarkus documents, shipped in the bundle with the HTTP binding, a function URL signed by default
 * and public only by a parameter, the light engine with nothing to unpack (no libtorch, ONNX
 * Runtime's linux-x64 natives in the bundle's {@code lib/}, none in its jar), SnapStart only where
 * Lambda allows it; and the sample event, an HTTP API event to a route of the function's OpenAPI
 * document.
 */
class LambdaTemplateTest {

  private static final Path TEMPLATE = Repository.DEPLOY.resolve("aws/template.yaml");
  private static final Path EVENT = Repository.DEPLOY.resolve("aws/events/predict.json");
  private static final String BUILD_LAMBDA = "mvn -pl function clean package -Plambda -Dcifar.skip";
  private static final Path OPENAPI =
      Repository.ROOT.resolve("function/src/main/resources/META-INF/openapi.yaml");

  /** Runs each HTTP API event through the application's HTTP routes. */
  private static final String HTTP_EVENT_HANDLER =
      "io/quarkus/amazon/lambda/http/LambdaHttpHandler.class";

  /** Funqy's HTTP routes ({@code /predict}, {@code /predictBatch}, {@code /model}). */
  private static final String FUNQY_HTTP_BINDING =
      "io/quarkus/funqy/runtime/bindings/http/VertxRequestHandler.class";

  /** The Open Inference Protocol's routes. */
  private static final String OPEN_INFERENCE_CLASS = "dev/cifar/function/OpenInference.class";

  static Node template() {
    List<Object> docs = Manifests.documents(TEMPLATE);
    assertThat(docs).as(Repository.name(TEMPLATE)).hasSize(1);
    return Node.root(docs.get(0), Repository.name(TEMPLATE));
  }

  static Node function() {
    List<Node> functions =
        template().require("Resources").map().keySet().stream()
            .map(k -> template().require("Resources").get(k))
            .filter(r -> "AWS::Serverless::Function".equals(r.get("Type").value()))
            .toList();
    assertThat(functions)
        .as(Repository.name(TEMPLATE) + " has one AWS::Serverless::Function")
        .hasSize(1);
    return functions.get(0).require("Properties");
  }

  /** Resolves {@code {Ref: Parameter}} to the parameter's default. */
  static String resolve(Node value) {
    if (value.value() instanceof Map<?, ?> m && m.containsKey("Ref")) {
      return template()
          .require("Parameters")
          .require(String.valueOf(m.get("Ref")))
          .require("Default")
          .text();
    }
    return value.text();
  }

  @Test
  void isASamTemplatePointingAtTheLambdaBundle() {
    assertThat(template().require("Transform").text())
        .as(template().get("Transform").describe())
        .isEqualTo("AWS::Serverless-2016-10-31");
    Node codeUri = function().require("CodeUri");
    Path bundle = TEMPLATE.getParent().resolve(codeUri.text()).normalize();
    assertThat(Repository.name(bundle))
        .as(codeUri.describe())
        .isEqualTo("function/target/function.zip");
    assertThat(function().require("Runtime").text())
        .as(function().get("Runtime").describe())
        .isIn("java17", "java21", "java25");
    assertThat(Integer.parseInt(function().require("MemorySize").text()))
        .as(function().get("MemorySize").describe())
        .isGreaterThanOrEqualTo(1024);
    assertThat(Integer.parseInt(function().require("Timeout").text()))
        .as(function().get("Timeout").describe())
        .isBetween(30, 900);
  }

  @Test
  void handlerIsQuarkusStreamHandlerOfTheProjectsQuarkus() throws Exception {
    Node handler = function().require("Handler");
    String[] parts = handler.text().split("::");
    assertThat(parts).as(handler.describe() + " is Class::method").hasSize(2);
    Class<?> type = Class.forName(parts[0], false, getClass().getClassLoader());
    assertThat(type.getMethod(parts[1], InputStream.class, OutputStream.class, Context.class))
        .as(handler.describe() + " is a stream handler method")
        .isNotNull();
  }

  @Test
  void handlerIsTheOneTheLambdaBuildGeneratedAndTheRuntimeNoOlder() {
    Path generated = Repository.buildOutput("function/target/sam.jvm.yaml", BUILD_LAMBDA);
    Node quarkus = Node.root(Manifests.template(generated), Repository.name(generated));
    Node props =
        quarkus.require("Resources").map().keySet().stream()
            .map(k -> quarkus.require("Resources").get(k))
            .findFirst()
            .orElseThrow()
            .require("Properties");
    assertThat(function().require("Handler").text())
        .as(function().get("Handler").describe() + " as in " + Repository.name(generated))
        .isEqualTo(props.require("Handler").text());
    assertThat(javaVersion(function().require("Runtime").text()))
        .as(
            function().get("Runtime").describe()
                + " no older than in "
                + Repository.name(generated))
        .isGreaterThanOrEqualTo(javaVersion(props.require("Runtime").text()));
  }

  private static int javaVersion(String runtime) {
    assertThat(runtime).as("a Java runtime of Lambda").matches("java\\d+");
    return Integer.parseInt(runtime.substring("java".length()));
  }

  @Test
  void bundleHoldsTheHandlerAndTheHttpBinding() throws IOException {
    Path zip = Repository.buildOutput("function/target/function.zip", BUILD_LAMBDA);
    String handlerClass =
        function().require("Handler").text().split("::")[0].replace('.', '/') + ".class";
    List<String> wanted =
        List.of(handlerClass, HTTP_EVENT_HANDLER, FUNQY_HTTP_BINDING, OPEN_INFERENCE_CLASS);
    Set<String> found = new java.util.TreeSet<>();
    try (ZipFile file = new ZipFile(zip.toFile())) {
      for (ZipEntry e : file.stream().toList()) {
        if (wanted.contains(e.getName())) {
          found.add(e.getName());
        }
        if (e.getName().startsWith("lib/") && e.getName().endsWith(".jar")) {
          found.addAll(jarEntries(file.getInputStream(e), wanted::contains));
        }
      }
    }
    assertThat(found)
        .as(
            Repository.name(zip)
                + " ships Lambda's handler, the HTTP event handler, Funqy's HTTP routes and /v2")
        .containsExactlyInAnyOrderElementsOf(wanted);
  }

  @Test
  void theFunctionUrlIsSignedByDefaultAndPublicOnlyByParameter() {
    Node auth = function().require("FunctionUrlConfig.AuthType");
    assertThat(auth.value())
        .as(auth.describe() + " is a parameter, so that making it public is a choice")
        .isInstanceOf(Map.class);
    assertThat(resolve(auth)).as(auth.describe() + " (default)").isEqualTo("AWS_IAM");
    Node parameter =
        template()
            .require("Parameters")
            .require(String.valueOf(((Map<?, ?>) auth.value()).get("Ref")));
    assertThat(parameter.require("AllowedValues").value())
        .as(parameter.describe() + " AllowedValues")
        .isEqualTo(List.of("AWS_IAM", "NONE"));
    Node url = template().require("Outputs.FunctionUrl.Value");
    assertThat(String.valueOf(url.value()))
        .as(url.describe() + " is the URL SAM makes for the function")
        .contains(functionName() + "Url", "FunctionUrl");
  }

  @Test
  void snapStartOnlyWhereLambdaAllowsIt() {
    Node size = function().require("EphemeralStorage.Size");
    long megabytes = Long.parseLong(resolve(size));
    assertThat(megabytes).as(size.describe() + " (default)").isEqualTo(512);
    Node snapStart = function().require("SnapStart.ApplyOn");
    String applyOn = resolve(snapStart);
    assertThat(applyOn).as(snapStart.describe()).isIn("None", "PublishedVersions");
    String rules = String.valueOf(template().require("Rules").value());
    assertThat(rules)
        .as(Repository.name(TEMPLATE) + " Rules tie SnapStart to the storage size")
        .contains(String.valueOf(((Map<?, ?>) snapStart.value()).get("Ref")))
        .contains(String.valueOf(((Map<?, ?>) size.value()).get("Ref")));
  }

  @Test
  void bundleIsTheLightBuildWithNothingToUnpack() throws IOException {
    Path zip = Repository.buildOutput("function/target/function.zip", BUILD_LAMBDA);
    Set<String> natives = new java.util.TreeSet<>();
    Set<String> nativesInJars = new java.util.TreeSet<>();
    try (ZipFile file = new ZipFile(zip.toFile())) {
      for (ZipEntry e : file.stream().toList()) {
        String name = e.getName();
        assertThat(name)
            .as(Repository.name(zip) + " has no PyTorch (the light build)")
            .doesNotContain("pytorch");
        if (name.startsWith("lib/") && name.endsWith(".so")) {
          natives.add(name);
        }
        if (name.startsWith("lib/") && name.endsWith(".jar") && name.contains("onnxruntime")) {
          nativesInJars.addAll(
              jarEntries(file.getInputStream(e), n -> n.matches(".*\\.(so|dylib|dll|pdb)")));
        }
      }
    }
    assertThat(natives)
        .as(Repository.name(zip) + " lib/, on the Lambda's library path")
        .containsExactlyInAnyOrder("lib/libonnxruntime.so", "lib/libonnxruntime4j_jni.so");
    assertThat(nativesInJars)
        .as(
            Repository.name(zip)
                + ": ONNX Runtime's jar carries no natives to unpack at a cold start")
        .isEmpty();
    assertThat(Files.size(zip)).as(Repository.name(zip) + " zipped").isLessThan(50L * 1000 * 1000);
  }

  @Test
  void environmentServesWithOnnxRuntimeOnTheCpuAndKeepsDjlOffline() {
    Node vars = function().require("Environment.Variables");
    Map<String, Object> env = vars.map();
    assertThat(env)
        .as(vars.describe())
        .containsEntry("DJL_OFFLINE", "true")
        .containsEntry("OPT_OUT_TRACKING", "true")
        .containsEntry(FunctionConfig.env("cifar.engine"), "onnxruntime")
        .containsEntry(FunctionConfig.env("cifar.device"), "cpu");
    for (String name : env.keySet()) {
      assertThat(FunctionConfig.isRead(name))
          .as(vars.describe() + " " + name + " is read by someone")
          .isTrue();
    }
    dev.cifar.engine.DeviceChoice.parse(
        String.valueOf(env.get(FunctionConfig.env("cifar.device"))));
    dev.cifar.classifier.ServingEngine.parse(
        String.valueOf(env.get(FunctionConfig.env("cifar.engine"))));
  }

  @Test
  void sampleEventIsAnHttpApiEventPostingARealImageToAFunctionRoute() throws IOException {
    JsonNode event = new ObjectMapper().readTree(EVENT.toFile());
    String name = Repository.name(EVENT);
    assertThat(event.path("version").asText())
        .as(name + " version (payload format)")
        .isEqualTo("2.0");
    JsonNode http = event.at("/requestContext/http");
    String method = http.path("method").asText();
    String path = event.path("rawPath").asText();
    assertThat(http.path("path").asText()).as(name + " requestContext.http.path").isEqualTo(path);
    Object paths = ((Map<?, ?>) Manifests.documents(OPENAPI).get(0)).get("paths");
    Object route = paths instanceof Map<?, ?> p ? p.get(path) : null;
    assertThat(route)
        .as(name + " rawPath " + path + " is a route of " + Repository.name(OPENAPI))
        .isInstanceOf(Map.class);
    assertThat(((Map<?, ?>) route).keySet().stream().map(String::valueOf).toList())
        .as(name + " " + method + " " + path + " is documented")
        .contains(method.toLowerCase(java.util.Locale.ROOT));
    assertThat(event.at("/headers/content-type").asText())
        .as(name + " headers.content-type")
        .isEqualTo("application/json");
    assertThat(event.path("isBase64Encoded").asBoolean()).as(name + " isBase64Encoded").isFalse();
    JsonNode body = new ObjectMapper().readTree(event.path("body").asText());
    Set<String> fields =
        publicFields("function/src/main/java/dev/cifar/function/PredictRequest.java");
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      assertThat(fields)
          .as(name + " body field " + field + " is a PredictRequest field")
          .contains(field);
    }
    byte[] image = Base64.getDecoder().decode(body.path("image").asText());
    assertThat(ImageIO.read(new ByteArrayInputStream(image)))
        .as(name + " body image decodes")
        .isNotNull();
  }

  /** The logical name of the template's function. */
  private static String functionName() {
    return template().require("Resources").map().entrySet().stream()
        .filter(e -> String.valueOf(e.getValue()).contains("AWS::Serverless::Function"))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  private static Set<String> publicFields(String source) {
    Matcher m =
        Pattern.compile("public\\s+[\\w\\[\\]<>]+\\s+(\\w+)\\s*;").matcher(Repository.read(source));
    Set<String> out = new java.util.TreeSet<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static Set<String> jarEntries(
      InputStream jar, java.util.function.Predicate<String> wanted) throws IOException {
    Set<String> found = new java.util.TreeSet<>();
    try (ZipInputStream in = new ZipInputStream(jar)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (wanted.test(e.getName())) {
          found.add(e.getName());
        }
      }
    }
    return found;
  }
}
