// the four builds append to one log: train, up to date, changed parameter, forced
def lines = new File(basedir, 'build.log').readLines()
def events = lines.findResults { line ->
    if (line.contains('cifar:train is up to date (fingerprint ')) return 'up-to-date'
    if (line.contains('Training: no artifact at')) return 'new'
    if (line.contains('Training: inputs changed (fingerprint')) return 'changed'
    if (line.contains('Training: forced (cifar.force)')) return 'forced'
    if (line =~ /epoch \d+\/\d+  train loss/) return 'epoch'
    return null
}
assert events == ['new', 'epoch', 'up-to-date', 'changed', 'epoch', 'epoch', 'forced', 'epoch', 'epoch'] : events
return true
