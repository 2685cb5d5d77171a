def root = new File(basedir, 'images').toPath()
dev.cifar.testing.SyntheticCifar.writeImageFolders(root.resolve('train'), ['boats', 'cars', 'planes'], 60, 5)
dev.cifar.testing.SyntheticCifar.writeImageFolders(root.resolve('test'), ['boats', 'cars', 'planes'], 10, 6)
return true
