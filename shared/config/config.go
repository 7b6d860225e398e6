// Package config reads a function's settings from its environment, set by
// the CDK stack in AWS and by the local gateway locally.
package config

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/ratelimit"
)

// Config holds every setting a function may need.
type Config struct {
	Table            string // TABLE_NAME
	DynamoDBEndpoint string // DYNAMODB_ENDPOINT: set only for DynamoDB Local
	BaseURL          string // BASE_URL: public origin for links in e-mails, e.g. https://rasp.example.gov.uk
	MailFrom         string // MAIL_FROM: SES verified sender identity
	OutboxDir        string // OUTBOX_DIR: write mail as .eml files here instead of SES (local)
	ReminderBudget   time.Duration
	ReminderBatch    int
	// Deadlines, all well inside the functions' 10 s Lambda timeout so a
	// slow or hung database is answered 503 + Retry-After by us, never a
	// bare 5xx by API Gateway: DYNAMODB_CALL_TIMEOUT_MS bounds one DynamoDB
	// call with its SDK retries, REQUEST_TIMEOUT_MS a whole request (several
	// calls), HEALTH_TIMEOUT_MS the /healthz probe.
	CallTimeout    time.Duration
	RequestTimeout time.Duration
	HealthTimeout  time.Duration
	// CORSOrigins (CORS_ORIGINS, comma-separated) may call every API route
	// from a browser; without them only the public reads may be
	// (docs/api-contract.md). None by default.
	CORSOrigins []string
	// RateLimits (RATE_LIMITS, "create=120/10m,recover=20/1h") override the
	// limits per client, code or address (docs/design.md D8); empty keeps
	// the defaults of shared/ratelimit.
	RateLimits map[string]ratelimit.Policy
	// Edge is what CloudFront adds in front of the API with the stack's
	// edge option.
	Edge Edge
	// SESConfigurationSet (SES_CONFIGURATION_SET) is the configuration set
	// every mail is sent in, so SES reports bounces and complaints; empty
	// locally.
	SESConfigurationSet string
}

// Default deadlines: the functions time out at 10 s.
const (
	DefaultCallTimeout    = 3 * time.Second
	DefaultRequestTimeout = 8 * time.Second
	DefaultHealthTimeout  = 1 * time.Second
)

// FromEnv reads the configuration and checks what every function needs.
func FromEnv() (Config, error) {
	c := Config{
		Table:            os.Getenv("TABLE_NAME"),
		DynamoDBEndpoint: os.Getenv("DYNAMODB_ENDPOINT"),
		BaseURL:          getenv("BASE_URL", "http://127.0.0.1:8080"),
		MailFrom:         getenv("MAIL_FROM", "RASP <rasp@localhost>"),
		OutboxDir:        os.Getenv("OUTBOX_DIR"),
		ReminderBudget:   40 * time.Second,
		ReminderBatch:    100,
		CallTimeout:      DefaultCallTimeout,
		RequestTimeout:   DefaultRequestTimeout,
		HealthTimeout:    DefaultHealthTimeout,
	}
	for _, d := range []struct {
		env string
		to  *time.Duration
	}{{"DYNAMODB_CALL_TIMEOUT_MS", &c.CallTimeout}, {"REQUEST_TIMEOUT_MS", &c.RequestTimeout}, {"HEALTH_TIMEOUT_MS", &c.HealthTimeout}} {
		if v := os.Getenv(d.env); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return c, fmt.Errorf("config: %s must be a positive number of milliseconds", d.env)
			}
			*d.to = time.Duration(n) * time.Millisecond
		}
	}
	if c.CallTimeout > c.RequestTimeout {
		return c, fmt.Errorf("config: DYNAMODB_CALL_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS")
	}
	if v := os.Getenv("REMINDER_BUDGET_SECONDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return c, fmt.Errorf("config: REMINDER_BUDGET_SECONDS must be a positive integer")
		}
		c.ReminderBudget = time.Duration(n) * time.Second
	}
	if v := os.Getenv("REMINDER_BATCH"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 1000 {
			return c, fmt.Errorf("config: REMINDER_BATCH must be a whole number from 1 to 1000")
		}
		c.ReminderBatch = n
	}
	if v := os.Getenv("CORS_ORIGINS"); v != "" {
		origins, err := parseOrigins(v)
		if err != nil {
			return c, fmt.Errorf("config: CORS_ORIGINS: %w", err)
		}
		c.CORSOrigins = origins
	}
	if v := os.Getenv("RATE_LIMITS"); v != "" {
		limits, err := ratelimit.ParseOverrides(v)
		if err != nil {
			return c, fmt.Errorf("config: RATE_LIMITS: %w", err)
		}
		c.RateLimits = limits
	}
	c.Edge = Edge{ClientIPHeader: strings.ToLower(strings.TrimSpace(os.Getenv("CLIENT_IP_HEADER"))), OriginSecret: os.Getenv("EDGE_ORIGIN_SECRET")}
	c.SESConfigurationSet = os.Getenv("SES_CONFIGURATION_SET")
	if c.Table == "" {
		return c, fmt.Errorf("config: TABLE_NAME is not set")
	}
	return c, nil
}

// MustFromEnv is FromEnv for main(): it panics when a setting is missing.
func MustFromEnv() Config {
	c, err := FromEnv()
	if err != nil {
		panic(err)
	}
	return c
}

func getenv(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// parseOrigins reads a comma-separated list of origins: a scheme (https, or
// http for a local host) and a host, with nothing after it.
func parseOrigins(list string) ([]string, error) {
	var out []string
	for _, o := range strings.Split(list, ",") {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		u, err := url.Parse(o)
		local := u != nil && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1")
		if err != nil || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil ||
			!(u.Scheme == "https" || u.Scheme == "http" && local) {
			return nil, fmt.Errorf("%q is not an origin like https://app.council.gov.uk", o)
		}
		out = append(out, u.Scheme+"://"+strings.ToLower(u.Host))
	}
	return out, nil
}

// Edge says what the CDN in front of the API (the stack's edge option)
// adds to each request it forwards; the zero Edge when there is none.
type Edge struct {
	// ClientIPHeader (CLIENT_IP_HEADER) names the header holding the
	// client's address (the stack sets cloudfront-viewer-address); empty
	// means API Gateway's source address.
	ClientIPHeader string
	// OriginSecret (EDGE_ORIGIN_SECRET) is the value CloudFront sends in
	// the x-origin-verify header. When set, a request without it did not
	// come through CloudFront and its WAF rules: the router refuses it, and
	// never trusts its ClientIPHeader, which such a caller could write
	// itself.
	OriginSecret string
}
