def log = new File(basedir, 'build.log').text
def epochs = log.readLines().findAll { it.contains('epoch 1/1  train loss') }
assert epochs.size() == 1 : "trained ${epochs.size()} times"
assert log.readLines().count { it.contains('Model artifact written to') } == 1
assert new File(basedir, 'target/cifar/cifar10-seed.zip').isFile()
assert !new File(basedir, 'module-a/target/cifar').exists()
assert !new File(basedir, 'module-b/target/cifar').exists()
return true
