// Package aicc holds the shared nouns of the AI Cybersecurity Clearinghouse:
// identifiers, outcomes, chat messages, scans and attempts, error kinds and
// the Secret type. It imports only the standard library, and every other
// package may import it.
package aicc
