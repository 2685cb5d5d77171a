import java.util.zip.ZipFile

def modelJson(String path) {
    def zip = new ZipFile(new File(basedir, path))
    try {
        return new groovy.json.JsonSlurper().parse(zip.getInputStream(zip.getEntry('model.json')))
    } finally {
        zip.close()
    }
}

def log = new File(basedir, 'build.log').text
assert log.contains('its classes [airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck] are not the data\'s, so a new classifier head learns them alone for 1 epochs (cifar.freezeEpochs)')
def tuned = modelJson('target/cifar/cifar10-seed.zip')
assert tuned.serving.classes == ['boats', 'cars', 'planes']
assert tuned.training.pretrained.startsWith('previous.zip (sha256 ')
assert tuned.training.freezeEpochs == 1

assert log.contains('Training torchscript: a TorchScript module on 48x48 input, with a new linear head')
def script = modelJson('target/cifar/cifar10-torchscript.zip')
assert script.serving.network == 'torchscript'
assert script.serving.inputSize == 48
assert script.training.pretrained.startsWith('tiny48.pt (sha256 ')
assert script.serving.normalization.std == [0.25, 0.25, 0.25]
return true
