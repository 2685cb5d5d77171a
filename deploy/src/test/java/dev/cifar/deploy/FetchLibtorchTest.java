package dev.cifar.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The program the GPU images run to fetch libtorch compiles against the DJL the project uses. */
class FetchLibtorchTest {

  @Test
  void compilesAgainstDjl(@TempDir Path out) {
    Path source = Repository.DEPLOY.resolve("container/FetchLibtorch.java");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            null,
            errors,
            "-d",
            out.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "--release",
            "17",
            source.toString());
    assertThat(rc).as(Repository.name(source) + " compiles: " + errors).isZero();
  }
}
