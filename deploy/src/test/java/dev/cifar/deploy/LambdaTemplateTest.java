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
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The AWS SAM template of the Lambda build ({@code -Plambda}): the bundle it points at, the handler
 * Quarkus documents (and ships in the bundle), storage for libtorch, DJL offline with its cache
 * under {@code /tmp}, SnapStart only where Lambda allows it; and the sample event.
 */
class LambdaTemplateTest {

  private static final Path TEMPLATE = Repository.DEPLOY.resolve("aws/template.yaml");
  private static final Path EVENT = Repository.DEPLOY.resolve("aws/events/predict.json");
  private static final String BUILD_LAMBDA = "mvn -pl function clean package -Plambda -Dcifar.skip";
  private static final long MB = 1024 * 1024;

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
        .isIn("java17", "java21");
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
  void handlerAndRuntimeAreThoseTheLambdaBuildGenerated() {
    Path generated = Repository.buildOutput("function/target/sam.jvm.yaml", BUILD_LAMBDA);
    Node quarkus = Node.root(Manifests.documents(generated).get(0), Repository.name(generated));
    Node props =
        quarkus.require("Resources").map().keySet().stream()
            .map(k -> quarkus.require("Resources").get(k))
            .findFirst()
            .orElseThrow()
            .require("Properties");
    assertThat(function().require("Handler").text())
        .as(function().get("Handler").describe() + " as in " + Repository.name(generated))
        .isEqualTo(props.require("Handler").text());
    assertThat(function().require("Runtime").text())
        .as(function().get("Runtime").describe() + " as in " + Repository.name(generated))
        .isEqualTo(props.require("Runtime").text());
  }

  @Test
  void bundleHoldsTheHandlerAndThePredictBinding() throws IOException {
    Path zip = Repository.buildOutput("function/target/function.zip", BUILD_LAMBDA);
    String handlerClass =
        function().require("Handler").text().split("::")[0].replace('.', '/') + ".class";
    String binding = namedHandler().replace('.', '/') + ".class";
    boolean handlerFound = false;
    boolean bindingFound = false;
    try (ZipFile file = new ZipFile(zip.toFile())) {
      for (ZipEntry e : file.stream().toList()) {
        bindingFound |= e.getName().endsWith(binding);
        if (e.getName().startsWith("lib/") && e.getName().endsWith(".jar")) {
          handlerFound |= jarContains(file.getInputStream(e), handlerClass);
        }
      }
    }
    assertThat(handlerFound).as(Repository.name(zip) + " ships " + handlerClass).isTrue();
    assertThat(bindingFound)
        .as(Repository.name(zip) + " ships the " + "quarkus.lambda.handler binding " + binding)
        .isTrue();
  }

  @Test
  void storageFitsLibtorchAndSnapStartOnlyWhereLambdaAllowsIt() throws IOException {
    Node size = function().require("EphemeralStorage.Size");
    long megabytes = Long.parseLong(resolve(size));
    assertThat(megabytes).as(size.describe() + " (default)").isGreaterThanOrEqualTo(1024);
    Node snapStart = function().require("SnapStart.ApplyOn");
    String applyOn = resolve(snapStart);
    assertThat(applyOn).as(snapStart.describe()).isIn("None", "PublishedVersions");
    if (applyOn.equals("PublishedVersions")) {
      assertThat(megabytes)
          .as("SnapStart allows at most 512 MB of ephemeral storage: " + size.describe())
          .isLessThanOrEqualTo(512);
    }
    String rules = String.valueOf(template().require("Rules").value());
    assertThat(rules)
        .as(Repository.name(TEMPLATE) + " Rules tie SnapStart to the storage size")
        .contains(String.valueOf(((Map<?, ?>) snapStart.value()).get("Ref")))
        .contains(String.valueOf(((Map<?, ?>) size.value()).get("Ref")));
    long libtorch = unpackedLibtorchBytes();
    assertThat(megabytes * MB)
        .as(size.describe() + " holds libtorch unpacked (" + libtorch / MB + " MB) with room")
        .isGreaterThan(libtorch + 256 * MB);
    assertThat(512 * MB)
        .as("libtorch (" + libtorch / MB + " MB) fits the 512 MB SnapStart allows")
        .isGreaterThan(libtorch);
  }

  @Test
  void environmentKeepsDjlOfflineWithItsCacheUnderTmp() {
    Node vars = function().require("Environment.Variables");
    Map<String, Object> env = vars.map();
    assertThat(env)
        .as(vars.describe())
        .containsEntry("DJL_OFFLINE", "true")
        .containsEntry("OPT_OUT_TRACKING", "true");
    assertThat(String.valueOf(env.get("DJL_CACHE_DIR")))
        .as(vars.describe() + " DJL_CACHE_DIR")
        .startsWith("/tmp/");
    for (String name : env.keySet()) {
      assertThat(FunctionConfig.isRead(name))
          .as(vars.describe() + " " + name + " is read by someone")
          .isTrue();
    }
    if (env.containsKey(FunctionConfig.env("cifar.device"))) {
      dev.cifar.engine.DeviceChoice.parse(
          String.valueOf(env.get(FunctionConfig.env("cifar.device"))));
    }
  }

  @Test
  void sampleEventIsAPredictRequestWithARealImage() throws IOException {
    JsonNode event = new ObjectMapper().readTree(EVENT.toFile());
    Set<String> fields =
        publicFields("function/src/main/java/dev/cifar/function/PredictRequest.java");
    for (Iterator<String> names = event.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      assertThat(fields)
          .as(Repository.name(EVENT) + " field " + name + " is a PredictRequest field")
          .contains(name);
    }
    byte[] image = Base64.getDecoder().decode(event.path("image").asText());
    assertThat(ImageIO.read(new ByteArrayInputStream(image)))
        .as(Repository.name(EVENT) + " image decodes")
        .isNotNull();
  }

  private static String namedHandler() {
    String handler = Repository.child(lambdaProfileProperties(), "quarkus.lambda.handler");
    Pattern named =
        Pattern.compile("@Named\\(\"" + Pattern.quote(handler) + "\"\\)\\s*public class (\\w+)");
    try (var sources = Files.walk(Repository.ROOT.resolve("function/src/lambda/java"))) {
      for (Path f : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = named.matcher(Repository.read(f));
        if (m.find()) {
          String pkg =
              Repository.read(f)
                  .lines()
                  .filter(l -> l.startsWith("package "))
                  .findFirst()
                  .orElseThrow()
                  .replace("package ", "")
                  .replace(";", "")
                  .strip();
          return pkg + "." + m.group(1);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new AssertionError("no @Named(\"" + handler + "\") class in function/src/lambda/java");
  }

  private static org.w3c.dom.Element lambdaProfileProperties() {
    org.w3c.dom.Element project = Repository.pom(Repository.ROOT.resolve("function/pom.xml"));
    org.w3c.dom.NodeList profiles =
        Repository.childElement(project, "profiles").getElementsByTagName("profile");
    for (int i = 0; i < profiles.getLength(); i++) {
      org.w3c.dom.Element p = (org.w3c.dom.Element) profiles.item(i);
      if (Repository.child(p, "id").equals("lambda")) {
        return Repository.childElement(p, "properties");
      }
    }
    throw new AssertionError("function/pom.xml has no lambda profile");
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

  private static boolean jarContains(InputStream jar, String entry) throws IOException {
    try (ZipInputStream in = new ZipInputStream(jar)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.getName().equals(entry)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The size of the CPU libtorch DJL unpacks to /tmp, from the jar the build packaged. */
  private static long unpackedLibtorchBytes() throws IOException {
    Path lib = Repository.buildOutput("function/target/quarkus-app/lib/main", Manifests.GENERATE);
    List<Path> jars;
    try (var files = Files.list(lib)) {
      jars =
          files
              .filter(f -> f.getFileName().toString().contains("pytorch-native-cpu"))
              .collect(Collectors.toList());
    }
    assertThat(jars).as(Repository.name(lib) + " holds pytorch-native-cpu").hasSize(1);
    try (ZipFile jar = new ZipFile(jars.get(0).toFile())) {
      return jar.stream().filter(e -> !e.isDirectory()).mapToLong(ZipEntry::getSize).sum();
    }
  }
}
