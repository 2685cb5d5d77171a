import java.security.MessageDigest
def log = new File(basedir, 'build.log').text
assert log.contains('epoch 2/2  train loss')
assert log.contains('cifar:train is up to date (fingerprint ')
assert log.readLines().count { it =~ /cifar:evaluate cifar10-seed\.zip/ } == 2
def installed = new File(localRepositoryPath, 'dev/cifar/it/attach-install/1.0/attach-install-1.0-model.zip')
assert installed.isFile() : "not installed: ${installed}"
def built = new File(basedir, 'target/cifar/cifar10-seed.zip')
def md5 = { f -> MessageDigest.getInstance('MD5').digest(f.bytes).encodeHex().toString() }
assert md5(installed) == md5(built)
def onnx = new File(basedir, 'target/cifar/cifar10-seed.onnx')
assert onnx.isFile() : "no ONNX model beside the artifact: ${onnx}"
assert log.readLines().count { it =~ /cifar:export cifar10-seed\.zip -> .*cifar10-seed\.onnx \(ONNX opset 17/ } == 2
def installedOnnx = new File(localRepositoryPath, 'dev/cifar/it/attach-install/1.0/attach-install-1.0-onnx.onnx')
assert installedOnnx.isFile() : "ONNX model not installed: ${installedOnnx}"
assert md5(installedOnnx) == md5(onnx)
def explicit = new File(basedir, 'target/explicit.onnx')
assert explicit.isFile() : "cifar:export did not write ${explicit}"
assert md5(explicit) == md5(onnx)
assert new File(basedir, 'target/cifar/report.html').text.contains('<svg id="curve-loss"')
return true
