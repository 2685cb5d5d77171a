dev.cifar.testing.SyntheticCifar.writeDirectory(new File(basedir, 'data').toPath(), 120, 100, 7)
return true
