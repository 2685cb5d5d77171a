dev.cifar.testing.SyntheticCifar.writeDirectory(new File(basedir, 'data').toPath(), 120, 100, 7)
def root = new File(basedir, 'images').toPath()
dev.cifar.testing.SyntheticCifar.writeImageFolders(root.resolve('train'), ['boats', 'cars', 'planes'], 60, 5)
dev.cifar.testing.SyntheticCifar.writeImageFolders(root.resolve('test'), ['boats', 'cars', 'planes'], 10, 6)
// the TorchScript module of training-core's tests (see training-core/src/test/python/make_torchscript.py)
dev.cifar.testing.SyntheticCifar.class.getResourceAsStream('/torchscript/tiny48.pt').withCloseable { input ->
    new File(basedir, 'tiny48.pt').bytes = input.readAllBytes()
}
return true
