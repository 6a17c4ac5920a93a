// Package webhook owns outgoing notifications: webhook subscriptions, the
// outbox of messages waiting to be sent, the dispatcher that delivers them,
// and the signature that lets a receiver trust them.
//
// Messages are signed as the Standard Webhooks specification
// (https://www.standardwebhooks.com/) describes, so receivers can verify
// them with any of that project's libraries: the headers webhook-id,
// webhook-timestamp and webhook-signature carry the message ID, the Unix
// time of the attempt, and "v1,<base64 HMAC-SHA256 of id.timestamp.body>"
// under the subscription's "whsec_" secret.
//
// Producers (the review workflow, advisory publication) build messages with
// NewMessages and write them to the outbox in the same transaction as the
// change they announce. A Dispatcher claims due messages from an Outbox
// under a lease, POSTs them, logs every attempt as a Delivery, and marks
// each message delivered, scheduled for a retry with exponential backoff,
// or dead. By default it refuses to connect to loopback, private,
// link-local and multicast addresses (see Config.AllowPrivate).
//
// The Outbox interface is implemented by the store engines;
// internal/webhook/webhookfake holds an in-memory one for tests.
// docs/webhooks.md is the receiver's guide.
package webhook
