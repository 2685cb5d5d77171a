package dev.cifar.function.corpus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A {@code multipart/form-data} body written byte for byte, as the corpus and tests send it. */
public final class Form {

  /** The boundary of the forms written here. */
  public static final String BOUNDARY = "cifar-corpus-boundary";

  /** The Content-Type of the forms written here. */
  public static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

  /**
   * One part of a form: a file (with a file name and type) or a text field.
   *
   * @param name the part's name
   * @param file the file name, or {@code null} for a field
   * @param type the part's Content-Type, or {@code null}
   * @param data its bytes
   */
  public record Part(String name, String file, String type, byte[] data) {}

  private Form() {}

  /**
   * Returns a file part.
   *
   * @param name the part's name
   * @param file the file name
   * @param type the file's Content-Type, or {@code null}
   * @param data its bytes
   * @return the part
   */
  public static Part file(String name, String file, String type, byte[] data) {
    return new Part(name, file, type, data);
  }

  /**
   * Returns a text field.
   *
   * @param name the field's name
   * @param value its value
   * @return the part
   */
  public static Part field(String name, String value) {
    return new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes a form.
   *
   * @param parts its parts, in order
   * @return the body, closing boundary included
   */
  public static byte[] body(Part... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Part p : parts) {
      StringBuilder head = new StringBuilder("--" + BOUNDARY + "\r\n");
      head.append("Content-Disposition: form-data; name=\"").append(p.name()).append('"');
      if (p.file() != null) {
        head.append("; filename=\"").append(p.file()).append('"');
      }
      head.append("\r\n");
      if (p.type() != null) {
        head.append("Content-Type: ").append(p.type()).append("\r\n");
      }
      head.append("\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
      out.writeBytes(p.data());
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
