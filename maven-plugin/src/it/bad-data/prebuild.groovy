def dir = dev.cifar.testing.SyntheticCifar.writeDirectory(new File(basedir, 'data').toPath(), 10, 10, 3).toFile()
def batch = new File(dir, 'data_batch_4.bin')
def bytes = batch.bytes
batch.bytes = java.util.Arrays.copyOf(bytes, bytes.length - 7)
return true
