package webhook

import (
	"cmp"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Config tunes a Dispatcher. Zero fields take the defaults shown; negative
// ones are invalid.
type Config struct {
	// Owner names this dispatcher in the leases it takes; dispatchers that
	// share an outbox must have different owners. Default: a random "dsp_"
	// ID.
	Owner string
	// Concurrency is how many messages are claimed and sent at once.
	// Default 4.
	Concurrency int
	// PollInterval is how often the outbox is checked for due messages
	// when it was last found empty. Default 1 s.
	PollInterval time.Duration
	// Timeout bounds one attempt: connecting, sending, and reading the
	// response. Default 10 s.
	Timeout time.Duration
	// Lease is how long a claimed message stays reserved for this
	// dispatcher. Default max(1 min, 3×Timeout); at least 2×Timeout.
	Lease time.Duration
	// MaxAttempts is how many attempts a message gets before it is dead.
	// Default 10.
	MaxAttempts int
	// BackoffBase is the wait after the first failed attempt; each further
	// failure waits 3 times longer, up to BackoffMax, ±20 % jitter. The
	// defaults (30 s, 6 h) spread 10 attempts over about 21 hours.
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// AllowPrivate lets the dispatcher connect to loopback, private,
	// link-local, multicast and other non-public addresses. Leave it false
	// on a service that accepts subscriptions from outside parties; set it
	// for tests and for on-premises receivers on a private network.
	AllowPrivate bool
	// Now is the clock for timestamps and scheduling. Default time.Now.
	Now func() time.Time
}

// Default values of Config.
const (
	DefaultConcurrency  = 4
	DefaultPollInterval = time.Second
	DefaultTimeout      = 10 * time.Second
	DefaultMaxAttempts  = 10
	DefaultBackoffBase  = 30 * time.Second
	DefaultBackoffMax   = 6 * time.Hour
	backoffFactor       = 3
	maxRetryAfter       = 24 * time.Hour
)

// withDefaults returns c with zero fields set to their defaults, validated.
func (c Config) withDefaults() (Config, error) {
	c.Owner = cmp.Or(c.Owner, aicc.NewID("dsp_"))
	c.Concurrency = cmp.Or(c.Concurrency, DefaultConcurrency)
	c.PollInterval = cmp.Or(c.PollInterval, DefaultPollInterval)
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	c.Lease = cmp.Or(c.Lease, max(time.Minute, 3*c.Timeout))
	c.MaxAttempts = cmp.Or(c.MaxAttempts, DefaultMaxAttempts)
	c.BackoffBase = cmp.Or(c.BackoffBase, DefaultBackoffBase)
	c.BackoffMax = cmp.Or(c.BackoffMax, max(DefaultBackoffMax, c.BackoffBase))
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, c.validate()
}

func (c *Config) validate() error {
	switch {
	case c.Concurrency < 1:
		return aicc.Errorf(aicc.KindInvalid, "webhook config concurrency %d: must be at least 1", c.Concurrency)
	case c.PollInterval < 0:
		return aicc.Errorf(aicc.KindInvalid, "webhook config poll interval %s: must be positive", c.PollInterval)
	case c.Timeout < 0:
		return aicc.Errorf(aicc.KindInvalid, "webhook config timeout %s: must be positive", c.Timeout)
	case c.Lease < 2*c.Timeout:
		return aicc.Errorf(aicc.KindInvalid, "webhook config lease %s: must be at least twice the timeout (%s)", c.Lease, c.Timeout)
	case c.MaxAttempts < 1:
		return aicc.Errorf(aicc.KindInvalid, "webhook config max attempts %d: must be at least 1", c.MaxAttempts)
	case c.BackoffBase < 0:
		return aicc.Errorf(aicc.KindInvalid, "webhook config backoff base %s: must be positive", c.BackoffBase)
	case c.BackoffMax < c.BackoffBase:
		return aicc.Errorf(aicc.KindInvalid, "webhook config backoff max %s: must be at least the backoff base (%s)", c.BackoffMax, c.BackoffBase)
	}
	return nil
}

// backoff is the wait, before jitter, after failed attempt n (1 for the
// first): BackoffBase × 3^(n-1), at most BackoffMax.
func (c *Config) backoff(n int) time.Duration {
	d := c.BackoffBase
	for i := 1; i < n && d < c.BackoffMax; i++ {
		if d > c.BackoffMax/backoffFactor {
			return c.BackoffMax
		}
		d *= backoffFactor
	}
	return min(d, c.BackoffMax)
}
