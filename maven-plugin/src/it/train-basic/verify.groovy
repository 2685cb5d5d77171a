import java.util.zip.ZipFile

def log = new File(basedir, 'build.log').text
// trained in a JVM of its own, with one allocator arena, its lines relayed to the build's log
assert log =~ /\[INFO\] Training JVM: pid \d+, .*, MALLOC_ARENA_MAX=1/
assert !log.contains('SLF4J')
assert log.contains('epoch 1/3  train loss')
assert log.contains('epoch 3/3  train loss')
assert log =~ /\| [\d,]+ img\/s \| \d+\.\d s/
assert log.contains('test accuracy')
assert log.contains('differs from the official CIFAR-10 file')

def artifact = new File(basedir, 'target/cifar/cifar10-seed.zip')
assert log.contains('Model artifact written to ' + artifact.absolutePath)
assert artifact.isFile()
def zip = new ZipFile(artifact)
try {
    assert zip.getEntry('model.json') != null
    assert zip.getEntry('parameters.params') != null
    def json = new groovy.json.JsonSlurper().parse(zip.getInputStream(zip.getEntry('model.json')))
    assert json.serving.network == 'seed'
    assert json.serving.testTimeAugmentation == 'none'
    assert json.training.epochs == 3
    assert json.history.size() == 3
    assert json.dev.accuracy > 0.5
} finally {
    zip.close()
}
def leftovers = new File(basedir, 'target/cifar').list().findAll { it.endsWith('.tmp') }
assert leftovers.isEmpty()
return true
