// Package keyring owns encryption at rest for the most sensitive values the
// clearinghouse holds, first of all the endpoint credentials (API keys) of
// unreleased models.
//
// A Keyring holds one or more 256-bit AES keys, each with a short ID. The
// first, primary key seals new values with AES-256-GCM; every key opens. Keys
// come from a key file (LoadFile; one `ID:BASE64KEY` per line, mode 0600) or
// from an environment variable in the same format (LoadEnv). Generate writes
// a new key file, Rotate puts a fresh primary key in front of the old ones,
// and Reseal moves a sealed value to the current primary key.
//
// A sealed value is self-describing: a version byte, the ID of the key that
// sealed it, a random 96-bit nonce, and the ciphertext with its tag. The
// caller's associated data (see AAD) binds it to its place, so a value copied
// to another row does not open there. Keys never appear in errors, logs or
// fmt output.
//
// docs/keys.md tells operators how to create, store and rotate the key, and
// what is lost with it.
package keyring
