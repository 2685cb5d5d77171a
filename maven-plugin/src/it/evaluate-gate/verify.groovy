def log = new File(basedir, 'build.log').text
assert log.contains('Quality gate passed')
assert log =~ /Quality gate failed: accuracy 0\.\d{4} is below cifar\.minAccuracy 0\.9900/
assert log =~ /Quality gate failed: class \w+ has accuracy 0\.\d{4}, below cifar\.minClassAccuracy 0\.9900/
assert log =~ /cifar:evaluate cifar10-seed\.zip on .*test_batch\.bin: accuracy 0\.\d{4} on 20 images/
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/cifar/evaluation.json'))
assert json.evaluation.count == 20
assert json.evaluation.confusion.size() == 10
assert json.minClassAccuracy == 0.99
return true
