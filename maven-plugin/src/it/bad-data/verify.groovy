def log = new File(basedir, 'build.log').text
assert log.contains('[ERROR] Failed to execute goal')
assert log.contains('cifar:train failed:')
assert log.contains('data_batch_4.bin')
assert log.contains('not a whole number of 3073-byte records')
assert !log.contains('epoch 1/1')
assert !new File(basedir, 'target/cifar').exists()
return true
