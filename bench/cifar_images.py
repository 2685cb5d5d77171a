"""Real CIFAR-10 test images for the bench scripts: find test_batch.bin, encode records as PNG."""
import os, struct, zlib

def test_file(data):
    """Returns test_batch.bin in DATA or its cifar-10-batches-bin/ directory."""
    for candidate in (os.path.join(data, "test_batch.bin"), os.path.join(data, "cifar-10-batches-bin", "test_batch.bin")):
        if os.path.isfile(candidate):
            return candidate
    raise SystemExit("no test_batch.bin in %s or its cifar-10-batches-bin/" % data)

def png(record):
    """Encodes one CIFAR record (label byte + R, G, B planes) as an RGB PNG."""
    px = record[1:]
    rows = b"".join(b"\x00" + bytes(v for x in range(32) for v in (px[y*32+x], px[1024+y*32+x], px[2048+y*32+x]))
                    for y in range(32))
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 32, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))

def default_data(here):
    """$CIFAR10_HOME, else ../shared/cifar10 beside the repository."""
    return os.environ.get("CIFAR10_HOME") or os.path.join(here, "..", "..", "shared", "cifar10")
