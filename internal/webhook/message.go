package webhook

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// PrefixMessage starts every message ID. The ID is sent as webhook-id and
// stays the same on every retry, so receivers can use it to drop
// duplicates.
const PrefixMessage = "msg_"

// MaxPayload bounds a message body. Payloads should be thin: IDs and
// states, which the receiver fetches in full through the API, where access
// is checked and audited.
const MaxPayload = 64 << 10

// Truncation limits of the delivery log.
const (
	maxSnippet  = 1 << 10 // Delivery.ResponseSnippet
	maxErrorLen = 1 << 10 // Delivery.Error and Message.LastError
)

// Message is one notification to one subscription, waiting in the outbox
// or done. Payload is the request body, sent byte for byte on every
// attempt: an Envelope in JSON.
type Message struct {
	ID             string          `json:"id"`
	SubscriptionID string          `json:"subscription_id"`
	Event          string          `json:"event"`
	Payload        json.RawMessage `json:"payload"`
	CreatedAt      time.Time       `json:"created_at"`
	Attempts       int             `json:"attempts"`              // attempts made so far
	NextAttemptAt  time.Time       `json:"next_attempt_at"`       // due time while pending
	DeliveredAt    time.Time       `json:"delivered_at,omitzero"` // set once a 2xx came back
	LastError      string          `json:"last_error,omitempty"`  // why the last attempt failed
	Dead           bool            `json:"dead,omitempty"`        // given up: no further attempts
}

// Pending reports whether m still waits for an attempt.
func (m *Message) Pending() bool { return m.DeliveredAt.IsZero() && !m.Dead }

// Delivery is one row of the delivery log: one attempt to deliver a
// message, successful or not.
type Delivery struct {
	MessageID       string        `json:"message_id"`
	Attempt         int           `json:"attempt"` // 1 for the first
	At              time.Time     `json:"at"`
	StatusCode      int           `json:"status_code,omitempty"` // 0 when no response came
	Duration        time.Duration `json:"duration"`
	Error           string        `json:"error,omitempty"`            // at most 1 KiB
	ResponseSnippet string        `json:"response_snippet,omitempty"` // first 1 KiB of the response body
}

// Envelope is the body of every message, in the shape Standard Webhooks
// recommends.
type Envelope struct {
	Type      string          `json:"type"`      // the event, e.g. "finding.confirmed"
	Timestamp time.Time       `json:"timestamp"` // when the event happened
	Data      json.RawMessage `json:"data"`
}

// NewMessages announces event to every subscription in subs that wants it:
// it encodes one Envelope of data and returns one pending message per such
// subscription, due at once. Producers write the messages to the outbox in
// the same transaction as the change they announce.
func NewMessages(subs []*Subscription, event string, data any, now time.Time) ([]*Message, error) {
	if err := ValidEvent(event); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("webhook: encode %s data: %w", event, err)
	}
	now = now.UTC()
	body, err := json.Marshal(Envelope{Type: event, Timestamp: now, Data: raw})
	if err != nil {
		return nil, fmt.Errorf("webhook: encode %s envelope: %w", event, err)
	}
	if len(body) > MaxPayload {
		return nil, aicc.Errorf(aicc.KindInvalid, "webhook %s payload: %d bytes, at most %d; send IDs, not documents", event, len(body), MaxPayload)
	}
	var msgs []*Message
	for _, s := range subs {
		if !s.Wants(event) {
			continue
		}
		msgs = append(msgs, &Message{
			ID:             aicc.NewID(PrefixMessage),
			SubscriptionID: s.ID,
			Event:          event,
			Payload:        body,
			CreatedAt:      now,
			NextAttemptAt:  now,
		})
	}
	return msgs, nil
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence,
// and replaces invalid UTF-8, so the result stores and prints safely.
func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}
