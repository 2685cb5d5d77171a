package dev.cifar.function;

/**
 * An image sent as bytes rather than in JSON: a raw request body or one file of a multipart form.
 *
 * @param bytes the encoded image, as received
 * @param what how to name it in errors, e.g. {@code the request body} or {@code file 'cat.png'}
 * @param declared the format its Content-Type declares ({@code png}, {@code jpeg}, {@code gif},
 *     {@code bmp}), or {@code null} when it declares none that binds (octet-stream)
 */
public record UploadedImage(byte[] bytes, String what, String declared) {}
