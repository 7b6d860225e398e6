// Package config reads a function's settings from its environment, set by
// the CDK stack in AWS and by the local gateway locally.
package config

import (
	"fmt"
	"os"
	"strconv"
	"time"
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
}

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
