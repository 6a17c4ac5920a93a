package provider

// GenerateSignerFrom exposes generateSigner to the tests, which derive their
// key from a fixed seed.
var GenerateSignerFrom = generateSigner
