import java.util.zip.ZipFile
def log = new File(basedir, 'build.log').text
// -Dcifar.fork=false: trained in Maven's JVM
assert !log.contains('Training JVM')
assert log.contains('Training seed: ')
assert log.contains('150 training and 30 dev images, 3 classes')
assert log =~ /test accuracy [01]\.\d+ on 30 images/
assert log.contains('Quality gate passed')
def zip = new ZipFile(new File(basedir, 'target/cifar/cifar10-seed.zip'))
try {
    def json = new groovy.json.JsonSlurper().parse(zip.getInputStream(zip.getEntry('model.json')))
    assert json.serving.classes == ['boats', 'cars', 'planes']
} finally {
    zip.close()
}
return true
