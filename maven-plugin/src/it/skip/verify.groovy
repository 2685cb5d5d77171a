def log = new File(basedir, 'build.log').text
assert log.contains('Skipping cifar:train (cifar.skip)')
assert !new File(basedir, 'target/cifar').exists()
return true
