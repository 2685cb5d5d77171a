dev.cifar.testing.SyntheticCifar.writeDirectory(new File(basedir, 'data').toPath(), 40, 20, 3)
return true
