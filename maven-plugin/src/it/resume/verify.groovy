import java.util.zip.ZipFile
def log = new File(basedir, 'build.log').text
assert log =~ /Resuming from .*checkpoint\.zip after epoch 2 of 3/
def epochLines = log.readLines().findAll { it =~ /epoch \d\/\d  train loss/ }*.replaceAll(/.*(epoch \d\/\d).*/, '$1')
assert epochLines == ['epoch 1/2', 'epoch 2/2', 'epoch 3/3', 'epoch 1/3', 'epoch 2/3', 'epoch 3/3'] : epochLines
def meta = { f -> def z = new ZipFile(f); try { new groovy.json.JsonSlurper().parse(z.getInputStream(z.getEntry('model.json'))) } finally { z.close() } }
def resumed = meta(new File(basedir, 'target/cifar/cifar10-seed.zip'))
def straight = meta(new File(basedir, 'target/straight/model.zip'))
assert resumed.history.size() == 3 && straight.history.size() == 3
// the same epochs with the same results; separate processes may differ in the last bits of
// libtorch's multi-threaded reductions, so compare to a tolerance (CheckpointTest is bit for bit)
(0..2).each { i ->
    assert Math.abs(resumed.history[i].trainLoss - straight.history[i].trainLoss) < 1e-3 : "epoch ${i + 1}"
    assert Math.abs(resumed.history[i].devLoss - straight.history[i].devLoss) < 1e-3 : "epoch ${i + 1}"
}
assert new File(basedir, 'target/cifar/checkpoints/seed/checkpoint.zip').isFile()
return true
